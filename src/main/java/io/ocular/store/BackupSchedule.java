package io.ocular.store;

import io.ocular.model.OcularException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Backs the catalog up on a schedule: whenever the newest backup is older than {@code interval} (or there is
 * none), checked a few minutes after start and then every {@code min(interval, 1 h)}, on one daemon thread
 * of its own. Failures (disk full, damaged catalog) are logged and retried at the next check; they never
 * disturb the application.
 */
public final class BackupSchedule implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BackupSchedule.class);

    public static final Duration DEFAULT_INTERVAL = Duration.ofHours(24);
    static final Duration FIRST_CHECK = Duration.ofMinutes(3);
    static final Duration MAX_CHECK = Duration.ofHours(1);

    private final CatalogBackups backups;
    private final Duration interval;
    private final ScheduledExecutorService timer;

    private BackupSchedule(CatalogBackups backups, Duration interval, ScheduledExecutorService timer) {
        this.backups = Objects.requireNonNull(backups, "backups");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive: " + interval);
        }
        this.interval = interval;
        this.timer = timer;
    }

    /** A schedule without a timer: the caller calls {@link #runIfDue} (tests, or a host with its own timer). */
    public static BackupSchedule manual(CatalogBackups backups, Duration interval) {
        return new BackupSchedule(backups, interval, null);
    }

    /** Starts checking on a daemon thread. */
    public static BackupSchedule start(CatalogBackups backups, Duration interval) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "catalog-backup");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            return t;
        });
        BackupSchedule s = new BackupSchedule(backups, interval, timer);
        long period = Math.min(interval.toMillis(), MAX_CHECK.toMillis());
        timer.scheduleWithFixedDelay(s::runQuietly, FIRST_CHECK.toMillis(), period, TimeUnit.MILLISECONDS);
        return s;
    }

    /** Backs up when the newest backup is older than the interval; the backup made, if any. */
    public Optional<CatalogBackups.Backup> runIfDue() {
        Optional<Duration> age = backups.newestAge();
        if (age.isPresent() && age.get().compareTo(interval) < 0) {
            return Optional.empty();
        }
        return Optional.of(backups.backupNow("scheduled"));
    }

    private void runQuietly() {
        try {
            runIfDue();
        } catch (OcularException | IllegalStateException e) {
            LOG.warn("Scheduled catalog backup failed (will retry): {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}

package io.ocular.index;

import io.ocular.model.StorageException;
import io.ocular.model.StorageException.Problem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Pauses indexing while the disk holding the catalog is full or has become read-only, and resumes it by itself
 * once writing is possible again (docs/decisions/0260-hostile-storage-kill-storms-soak.md). Two ways in: before each batch commit
 * the writer asks {@link #roomToWrite} (free space under {@code minFreeBytes}: stop before SQLite meets the wall
 * and the rest of the system with it), and a write that failed anyway reports {@link #blocked}. While blocked,
 * the workers are paused, listeners see PAUSED with a notice saying why and what happens next, and a timer
 * checks every {@code retry} whether there is space / write access again; then the pause is lifted and the
 * library rescanned, so that the batches lost to the failure are redone (the catalog is the truth).
 * Thread-safe.
 */
final class StorageGuard implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StorageGuard.class);
    private static final long CHECK_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final StorageCheck settings; // null: no proactive check, resumed by the user
    private final FileAccess files;
    private final CommandScheduler scheduler;
    private final ProgressTracker progress;
    private final Runnable rescan;
    private final ScheduledExecutorService timer;
    private volatile Problem blocked;
    private volatile long lastCheckNanos = System.nanoTime() - CHECK_EVERY_NANOS;

    StorageGuard(StorageCheck settings, FileAccess files, CommandScheduler scheduler, ProgressTracker progress,
                 Runnable rescan) {
        this.settings = settings;
        this.files = files;
        this.scheduler = scheduler;
        this.progress = progress;
        this.rescan = rescan;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ocular-index-storage");
            t.setDaemon(true);
            return t;
        });
    }

    boolean isBlocked() {
        return blocked != null;
    }

    /**
     * The user pressed Resume while blocked: with a storage check, check now rather than at the next retry;
     * without one, the user's word is all there is: lift the pause (a write that fails again pauses again).
     */
    void retryNow() {
        if (blocked != null) {
            timer.execute(() -> {
                if (blocked != null && (settings == null || canWrite())) {
                    lift();
                }
            });
        }
    }

    /** On the writer thread before a batch: false (and blocked) when the data folder's disk is about full. */
    boolean roomToWrite() {
        if (blocked != null) {
            return false;
        }
        if (settings == null) {
            return true;
        }
        long now = System.nanoTime();
        if (now - lastCheckNanos < Math.min(CHECK_EVERY_NANOS, settings.retry().toNanos())) {
            return true;
        }
        lastCheckNanos = now;
        long free = free();
        if (free >= 0 && free < settings.minFreeBytes()) {
            block(Problem.FULL, free);
            return false;
        }
        if (!files.writable(settings.dir())) {
            block(Problem.READ_ONLY, free);
            return false;
        }
        return true;
    }

    /**
     * A catalog write failed some other way (SQLite reports a write error, not "full", when the WAL cannot
     * grow on a disk that turned read-only): true, and blocked, when the data folder is now read-only or full.
     */
    boolean explains(RuntimeException e) {
        if (settings == null || canWrite()) {
            return false;
        }
        Problem p = files.writable(settings.dir()) ? Problem.FULL : Problem.READ_ONLY;
        LOG.warn("indexing paused: a catalog write failed ({}) and the data folder is {}", e.getMessage(),
                p == Problem.FULL ? "full" : "read-only");
        block(p, free());
        return true;
    }

    /** A catalog write failed for lack of space or write access. */
    void blocked(StorageException e) {
        LOG.warn("indexing paused: {}", e.getMessage());
        block(e.problem(), settings == null ? -1 : free());
    }

    private synchronized void block(Problem problem, long free) {
        if (blocked != null) {
            return;
        }
        blocked = problem;
        progress.storage(message(problem, free));
        scheduler.pause(true);
        progress.publish(true);
        if (settings != null) {
            timer.schedule(this::retry, settings.retry().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private String message(Problem problem, long free) {
        String where = settings == null ? "Ocular's data folder" : "Ocular's data folder " + settings.dir();
        String then = settings == null ? " Then press Resume." : " Indexing resumes by itself then.";
        if (problem == Problem.READ_ONLY) {
            return where + " has become read-only: indexing is paused, and nothing indexed so far is lost. Make it"
                    + " writable again (is the drive full, or mounted read-only after an error?)." + then;
        }
        String left = free < 0 ? "" : String.format(Locale.ROOT, " (%.0f MB free)", free / 1048576.0);
        String need = settings == null ? "" : String.format(Locale.ROOT, " at least %.0f MB",
                settings.minFreeBytes() / 1048576.0);
        return "The disk holding " + where + " is full" + left + ": indexing is paused, and nothing indexed so far"
                + " is lost. Free" + need + " space on it." + then;
    }

    private void retry() {
        if (blocked == null) {
            return;
        }
        if (!canWrite()) {
            timer.schedule(this::retry, settings.retry().toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        LOG.info("the data folder {} is writable with room again: indexing resumes", settings.dir());
        lift();
    }

    private void lift() {
        synchronized (this) {
            blocked = null;
            lastCheckNanos = System.nanoTime();
        }
        progress.storage(null);
        scheduler.pause(false);
        progress.publish(true);
        rescan.run(); // redoes the batches lost to the failed writes
    }

    private boolean canWrite() {
        long free = free();
        return files.writable(settings.dir()) && (free < 0 || free >= settings.minFreeBytes());
    }

    /** Free bytes, or -1 when they cannot be read (then the space check is not what stops indexing). */
    private long free() {
        try {
            return files.usableSpace(settings.dir());
        } catch (IOException | RuntimeException e) {
            LOG.debug("cannot read the free space of {}: {}", settings.dir(), e.toString());
            return -1;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}

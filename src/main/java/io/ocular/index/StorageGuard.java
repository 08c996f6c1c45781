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
import java.util.function.BooleanSupplier;

/**
 * Pauses indexing while the disk holding the catalog is full or has become read-only, and resumes it by itself
 * once writing is possible again (docs/decisions/0260-hostile-storage-kill-storms-soak.md). Two ways in: before each batch commit
 * the writer asks {@link #roomToWrite} (free space under {@code minFreeBytes}: stop before SQLite meets the wall
 * and the rest of the system with it), and a write that failed anyway reports {@link #blocked}. While blocked,
 * the workers are paused, listeners see PAUSED with a notice saying why and what happens next, and a timer
 * checks every {@code retry} whether there is space / write access again; then the pause is lifted and the
 * library rescanned, so that the batches lost to the failure are redone (the catalog is the truth).
 * A shared library's server that cannot be reached, or whose disk is full, pauses indexing the same way
 * ({@link Problem#onServer}); then the catalog is asked every retry interval whether it answers again.
 * Thread-safe.
 */
final class StorageGuard implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StorageGuard.class);
    private static final long CHECK_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** How often a paused indexer asks an absent library server again when no storage check says otherwise. */
    static final long SERVER_RETRY_MILLIS = 2000;

    private final StorageCheck settings; // null: no proactive check, resumed by the user
    private final FileAccess files;
    private final CommandScheduler scheduler;
    private final ProgressTracker progress;
    private final Runnable rescan;
    private final BooleanSupplier catalogAnswers;
    private final ScheduledExecutorService timer;
    private volatile Problem blocked;
    private volatile long lastCheckNanos = System.nanoTime() - CHECK_EVERY_NANOS;

    StorageGuard(StorageCheck settings, FileAccess files, CommandScheduler scheduler, ProgressTracker progress,
                 Runnable rescan) {
        this(settings, files, scheduler, progress, rescan, () -> true);
    }

    /**
     * @param catalogAnswers whether the catalog's server answers again (asked while it is unreachable or full)
     */
    StorageGuard(StorageCheck settings, FileAccess files, CommandScheduler scheduler, ProgressTracker progress,
                 Runnable rescan, BooleanSupplier catalogAnswers) {
        this.catalogAnswers = catalogAnswers;
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
                Problem p = blocked;
                if (p != null && ((settings == null && !p.onServer()) || canResume(p))) {
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

    /**
     * A catalog read or write failed for lack of space or write access, or because the library server is away
     * or full: paused until the problem has gone (checked every retry interval), then the library is rescanned.
     */
    void blocked(StorageException e) {
        LOG.warn("indexing paused: {}", e.getMessage());
        if (e.problem().onServer()) {
            block(e.problem(), serverMessage(e));
        } else {
            block(e.problem(), message(e.problem(), settings == null ? -1 : free()));
        }
    }

    private void block(Problem problem, long free) {
        block(problem, message(problem, free));
    }

    private synchronized void block(Problem problem, String message) {
        if (blocked != null) {
            return;
        }
        blocked = problem;
        progress.storage(message);
        scheduler.pause(true);
        progress.publish(true);
        if (settings != null || problem.onServer()) {
            timer.schedule(this::retry, retryMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private long retryMillis() {
        return settings != null ? settings.retry().toMillis() : SERVER_RETRY_MILLIS;
    }

    private String serverMessage(StorageException e) {
        String seconds = String.format(Locale.ROOT, "%.0f", Math.max(1, retryMillis() / 1000.0));
        if (e.problem() == Problem.SERVER_FULL) {
            return "The library server's disk is full: indexing is paused, and nothing indexed so far is lost. Ask"
                    + " its administrator to free space; Ocular tries again every " + seconds + " s.";
        }
        String why = e.getMessage();
        int cut = why.indexOf(" Check that");
        return (cut > 0 ? why.substring(0, cut) : why) + " Indexing is paused, and nothing indexed so far is lost;"
                + " it resumes by itself when the server is back (checked every " + seconds + " s). Search keeps"
                + " working where this computer has the vectors.";
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
        Problem p = blocked;
        if (p == null) {
            return;
        }
        if (!canResume(p)) {
            timer.schedule(this::retry, retryMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        LOG.info(p.onServer() ? "the library server answers again: indexing resumes"
                : "the data folder is writable with room again: indexing resumes");
        lift();
    }

    /** The server answers again (a full server is tried again), or the data folder has room and write access. */
    private boolean canResume(Problem p) {
        return p.onServer() ? catalogAnswers.getAsBoolean() : canWrite();
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

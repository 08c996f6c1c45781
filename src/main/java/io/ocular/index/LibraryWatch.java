package io.ocular.index;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Keeps the library folders watched for the daemon: a change below a folder becomes, once things are quiet
 * for the debounce time, one incremental scan of the folder where it happened (the daemon coalesces pending
 * scans, so a burst of thousands of files gives a few scans, never one per file); an OS event overflow
 * becomes one full incremental rescan; a library folder that disappears is rescanned, which reports it
 * offline and deletes nothing. Registering a folder walks it, so that runs on this class's own thread.
 *
 * <p>Without a working watch service (e.g. the inotify instance limit is reached) nothing is watched, the
 * reason is logged, and library changes show up at the next rescan as before.
 */
final class LibraryWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LibraryWatch.class);

    private final FolderWatcher watcher;
    private final ExecutorService registrar;

    /**
     * @param scanFolder asked to scan a folder (and below) where something changed
     * @param scanAll    asked for a full rescan (events were lost)
     */
    LibraryWatch(Consumer<Path> scanFolder, Runnable scanAll, Duration debounce) {
        FolderWatcher w = null;
        try {
            w = new FolderWatcher(scanFolder, scanAll, debounce);
        } catch (IOException | RuntimeException e) {
            LOG.warn("folders are not watched (changes show up at the next rescan): {}", e.toString());
        }
        this.watcher = w;
        this.registrar = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ocular-watch-register");
            t.setDaemon(true);
            return t;
        });
    }

    /** Watches a library folder and everything below it (idempotent; registration happens in the background). */
    void watch(Path folder) {
        if (watcher != null) {
            registrar.execute(() -> watcher.watch(folder));
        }
    }

    void unwatch(Path folder) {
        if (watcher != null) {
            registrar.execute(() -> watcher.unwatch(folder));
        }
    }

    /** Waits until the folders asked for so far are registered (tests, CLI). */
    void awaitRegistered(Duration timeout) throws InterruptedException {
        Future<?> f = registrar.submit(() -> { });
        try {
            f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("watch registration: {}", e.toString());
        }
    }

    @Override
    public void close() {
        registrar.shutdownNow();
        if (watcher != null) {
            watcher.close();
        }
    }
}

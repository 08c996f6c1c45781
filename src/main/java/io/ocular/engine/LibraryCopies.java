package io.ocular.engine;

import io.ocular.model.ModelInfo;

import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Keeps this computer's copy of a shared library current in the background ({@link FailoverCatalog#refreshCopy}):
 * shortly after opening, then every {@link #EVERY_SECONDS} seconds when the library has changed. One daemon
 * thread; closed with the engine.
 */
final class LibraryCopies implements AutoCloseable {
    static final long FIRST_SECONDS = 15;
    static final long EVERY_SECONDS = 300;

    private final ScheduledExecutorService timer;

    private LibraryCopies(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    static LibraryCopies start(FailoverCatalog catalog, Supplier<ModelInfo> activeModel) {
        Objects.requireNonNull(catalog, "catalog");
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ocular-library-copy");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> catalog.refreshCopy(activeModel.get()), FIRST_SECONDS, EVERY_SECONDS,
                TimeUnit.SECONDS);
        return new LibraryCopies(timer);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}

package io.ocular.ui.common;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Loads thumbnails off the UI thread with a small LRU cache. Requests are served newest first (a LIFO
 * queue): while the user scrolls through 100k results, the cells now on screen win over the ones that
 * scrolled past, and those are cancelled by their cells anyway. Generic in the image type so it is tested
 * without a toolkit; the views use it with {@code javafx.scene.image.Image}.
 */
public final class ThumbnailLoader<I> implements AutoCloseable {

    /** A pending request; cancel it when the cell shows something else. */
    public interface Ticket {
        void cancel();
    }

    private final Function<Path, I> loader;
    private final Executor ui;
    private final ExecutorService workers;
    private final Map<Path, I> cache;
    private final ToLongFunction<? super I> weight;
    private final long maxBytes;
    private long bytes; // guarded by cache

    /**
     * @param loader   decodes one thumbnail (runs on a worker); returns null or throws when it cannot
     * @param ui       where callbacks run
     * @param threads  worker threads
     * @param capacity thumbnails kept in memory
     */
    public ThumbnailLoader(Function<Path, I> loader, Executor ui, int threads, int capacity) {
        this(loader, ui, threads, capacity, image -> 0, Long.MAX_VALUE);
    }

    /**
     * @param capacity thumbnails kept in memory at most
     * @param weight   the bytes one thumbnail holds
     * @param maxBytes bytes kept in memory at most (the least recently used go first; the newest always stays)
     */
    public ThumbnailLoader(Function<Path, I> loader, Executor ui, int threads, int capacity,
                           ToLongFunction<? super I> weight, long maxBytes) {
        this.loader = Objects.requireNonNull(loader, "loader");
        this.weight = Objects.requireNonNull(weight, "weight");
        this.maxBytes = maxBytes;
        this.ui = Objects.requireNonNull(ui, "ui");
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LifoQueue(), r -> {
            Thread t = new Thread(r, "thumbnail-" + n.incrementAndGet());
            t.setDaemon(true);
            t.setPriority(Thread.NORM_PRIORITY - 1);
            return t;
        });
        ((ThreadPoolExecutor) workers).allowCoreThreadTimeOut(true);
        this.cache = new LinkedHashMap<>(capacity * 4 / 3 + 1, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Path, I> eldest) {
                if (size() > capacity) {
                    bytes -= weight.applyAsLong(eldest.getValue());
                    return true;
                }
                return false;
            }
        };
    }

    /** The cached thumbnail, or null. */
    public I cached(Path path) {
        synchronized (cache) {
            return cache.get(path);
        }
    }

    /**
     * Delivers the thumbnail of {@code path} to {@code onLoaded} on the UI executor (at once when cached).
     * Failures deliver nothing: the cell keeps its placeholder.
     */
    public Ticket request(Path path, Consumer<? super I> onLoaded) {
        I hit = cached(path);
        if (hit != null) {
            onLoaded.accept(hit);
            return () -> { };
        }
        AtomicBoolean cancelled = new AtomicBoolean();
        workers.execute(() -> {
            if (cancelled.get()) {
                return;
            }
            I image = cached(path);
            if (image == null) {
                try {
                    image = loader.apply(path);
                } catch (RuntimeException e) {
                    image = null;
                }
                if (image == null) {
                    return;
                }
                synchronized (cache) {
                    put(path, image);
                }
            }
            I done = image;
            ui.execute(() -> {
                if (!cancelled.get()) {
                    onLoaded.accept(done);
                }
            });
        });
        return () -> cancelled.set(true);
    }

    /** Caches {@code image}, then drops the least recently used until the cache is within its byte budget. */
    private void put(Path path, I image) {
        bytes += weight.applyAsLong(image);
        I old = cache.put(path, image);
        if (old != null) {
            bytes -= weight.applyAsLong(old);
        }
        var eldest = cache.entrySet().iterator();
        while (bytes > maxBytes && cache.size() > 1) {
            bytes -= weight.applyAsLong(eldest.next().getValue());
            eldest.remove();
        }
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }

    /**
     * The thumbnail of one list cell: {@link #show} puts the cached thumbnail (or nothing) on display at once and
     * a loaded one later, unless the cell shows something else by then; {@link #cancel} drops the pending request
     * when the cell is reused.
     */
    public static final class Slot<I> {
        private final ThumbnailLoader<I> loader;
        private final Consumer<? super I> display;
        private Ticket ticket;

        public Slot(ThumbnailLoader<I> loader, Consumer<? super I> display) {
            this.loader = Objects.requireNonNull(loader, "loader");
            this.display = Objects.requireNonNull(display, "display");
        }

        /** Cancels the pending request, if any. */
        public void cancel() {
            if (ticket != null) {
                ticket.cancel();
                ticket = null;
            }
        }

        /** Shows the thumbnail of {@code path}; a late one only while {@code stillWanted} holds. */
        public void show(Path path, BooleanSupplier stillWanted) {
            cancel();
            I cached = loader.cached(path);
            display.accept(cached);
            if (cached == null) {
                ticket = loader.request(path, img -> {
                    if (stillWanted.getAsBoolean()) {
                        display.accept(img);
                    }
                });
            }
        }
    }

    /** A deque used as a stack by the pool: newest request first. */
    private static final class LifoQueue extends LinkedBlockingDeque<Runnable> {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean offer(Runnable r) {
            return super.offerFirst(r);
        }

        @Override
        public boolean add(Runnable r) {
            return super.offerFirst(r) || true;
        }
    }
}

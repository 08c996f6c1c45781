package io.ocular.index;

import io.ocular.store.Catalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The catalog's one writer: a thread that applies every catalog write of the daemon in order, each handed
 * over through a bounded queue (back-pressure on the workers). Batches are queued without waiting
 * ({@link #enqueue}); other writes ({@link #call}) wait for their result. Only code handed to this class
 * receives the catalog for writing.
 */
final class CatalogWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CatalogWriter.class);

    /** A catalog write run on the writer thread. */
    @FunctionalInterface
    interface Write<T> {
        T apply(Catalog catalog) throws Exception;
    }

    private record Task(Write<?> body, CompletableFuture<Object> result) {
    }

    private final Catalog catalog;
    private final BlockingQueue<Task> queue;
    private final Thread thread;
    private final BooleanSupplier producersDone;
    private volatile boolean running = true;

    /**
     * @param capacity      writes that may wait in the queue
     * @param producersDone true once no thread can hand over more writes (the writer may then stop)
     */
    CatalogWriter(Catalog catalog, int capacity, BooleanSupplier producersDone) {
        this.catalog = catalog;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.producersDone = producersDone;
        this.thread = new Thread(this::loop, "ocular-index-writer");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Queues a write without waiting for it (waits only for queue space); failures are the body's to handle. */
    void enqueue(Write<?> body) throws InterruptedException {
        queue.put(new Task(body, null));
    }

    /** Runs a write on the writer thread and waits for its result; its exception is rethrown here. */
    @SuppressWarnings("unchecked")
    <T> T call(Write<T> body) throws InterruptedException {
        CompletableFuture<Object> result = new CompletableFuture<>();
        queue.put(new Task(body, result));
        try {
            return (T) result.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof RuntimeException re ? re : new IllegalStateException(c);
        }
    }

    private void loop() {
        while (true) {
            Task task;
            try {
                task = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                task = null;
                if (!running) {
                    // apply what the workers finished, then stop
                    List<Task> rest = new ArrayList<>();
                    queue.drainTo(rest);
                    rest.forEach(this::apply);
                    return;
                }
            }
            if (task != null) {
                apply(task);
            } else if (!running && queue.isEmpty() && producersDone.getAsBoolean()) {
                return;
            }
        }
    }

    private void apply(Task task) {
        try {
            Object value = task.body().apply(catalog);
            if (task.result() != null) {
                task.result().complete(value);
            }
        } catch (Exception e) {
            if (task.result() != null) {
                task.result().completeExceptionally(e);
            } else {
                LOG.error("a catalog write failed", e);
            }
        }
    }

    /** Applies what is queued (the producers have stopped), then ends the thread. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("{} did not stop within 30 s", thread.getName());
        }
    }
}

package io.ocular.search;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The small fixed pool that scans run on (parallelism = cores by default). One is created by the
 * composition root and shared by every index; it is not a global. Daemon threads, so an unclosed pool
 * never keeps the JVM alive.
 */
public final class ScanPool implements AutoCloseable {
    private final int parallelism;
    private final ExecutorService executor;
    private final List<Thread> workers = new CopyOnWriteArrayList<>();

    public ScanPool(int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1: " + parallelism);
        }
        this.parallelism = parallelism;
        AtomicInteger n = new AtomicInteger();
        this.executor = parallelism == 1 ? null : Executors.newFixedThreadPool(parallelism - 1, r -> {
            Thread t = new Thread(r, "ocular-scan-" + n.incrementAndGet());
            t.setDaemon(true);
            workers.add(t);
            return t;
        });
    }

    /** A pool with one thread per available core. */
    public static ScanPool perCore() {
        return new ScanPool(Runtime.getRuntime().availableProcessors());
    }

    public int parallelism() {
        return parallelism;
    }

    /**
     * Runs the tasks, the last one on the calling thread (so a pool of parallelism p uses p - 1 workers plus
     * the caller), and returns their results in order.
     */
    public <T> List<T> invokeAll(List<? extends Callable<T>> tasks) {
        if (tasks.isEmpty()) {
            return List.of();
        }
        List<Future<T>> futures = new ArrayList<>(tasks.size());
        try {
            if (executor != null) {
                for (int i = 0; i < tasks.size() - 1; i++) {
                    futures.add(executor.submit(tasks.get(i)));
                }
            }
            List<T> out = new ArrayList<>(tasks.size());
            T last;
            if (executor == null) {
                for (int i = 0; i < tasks.size() - 1; i++) {
                    out.add(tasks.get(i).call());
                }
            }
            last = tasks.get(tasks.size() - 1).call();
            for (Future<T> f : futures) {
                out.add(f.get());
            }
            out.add(last);
            return out;
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            throw new IllegalStateException("search interrupted", e);
        } catch (ExecutionException e) {
            futures.forEach(f -> f.cancel(true));
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(c);
        } catch (RuntimeException e) {
            futures.forEach(f -> f.cancel(true));
            throw e;
        } catch (Exception e) {
            futures.forEach(f -> f.cancel(true));
            throw new IllegalStateException(e);
        }
    }

    /**
     * CPU time (ns) the pool's worker threads have used so far, or -1 where the JVM does not measure thread CPU
     * time. With the calling thread's own CPU time it gives a search's cost independent of the machine's load
     * ({@code bench search}).
     */
    public long workerCpuNanos() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        if (!mx.isThreadCpuTimeSupported() || !mx.isThreadCpuTimeEnabled()) {
            return -1;
        }
        long sum = 0;
        for (Thread t : workers) {
            long c = mx.getThreadCpuTime(t.getId());
            if (c > 0) {
                sum += c;
            }
        }
        return sum;
    }

    /** Scores rows {@code [from, to)} into a fresh {@link TopK}. */
    @FunctionalInterface
    interface RangeScan {
        TopK scan(int from, int to);
    }

    /**
     * The k best of rows {@code [0, n)}: below {@code minRows} rows (or without a pool) one scan on the caller's
     * thread, else the rows split into up to {@link #parallelism()} ranges of at least {@code minRows / 4} rows,
     * scanned on the pool and merged.
     */
    static TopK topK(ScanPool pool, int n, int k, int minRows, RangeScan scan) {
        int threads = n < minRows || pool == null ? 1 : Math.min(pool.parallelism, n / (minRows / 4));
        if (threads <= 1) {
            return scan.scan(0, n);
        }
        List<Callable<TopK>> tasks = new ArrayList<>(threads);
        for (int t = 0; t < threads; t++) {
            int from = (int) ((long) n * t / threads);
            int to = (int) ((long) n * (t + 1) / threads);
            tasks.add(() -> scan.scan(from, to));
        }
        TopK merged = new TopK(k);
        for (TopK part : pool.invokeAll(tasks)) {
            merged.merge(part);
        }
        return merged;
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}

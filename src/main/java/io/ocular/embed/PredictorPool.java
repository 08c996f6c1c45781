package io.ocular.embed;

import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import io.ocular.model.OcularException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Shares DJL predictors of one model across threads, for every ONNX encoder (image towers, text towers, the
 * local feature model). A DJL {@link Predictor} is not thread-safe, the model is: each call borrows a predictor
 * for its duration, made on demand up to {@code max} (one per concurrent caller), and returns it for the next
 * call; with {@code max} 1 calls are serialised on one predictor (for a model whose ONNX Runtime session is
 * already multi-threaded inside). {@link #close} waits briefly for calls in flight, then closes every
 * predictor; the owner closes the model after it. A call after close fails with a clear message.
 *
 * @param <I> predictor input
 * @param <O> predictor output
 */
public final class PredictorPool<I, O> implements AutoCloseable {
    private static final long CLOSE_WAIT_MILLIS = 10_000;

    /** What a caller does with a borrowed predictor. */
    @FunctionalInterface
    public interface Call<I, O, R> {
        R apply(Predictor<I, O> predictor) throws TranslateException;
    }

    private final String what;
    private final Supplier<Predictor<I, O>> factory;
    private final int max;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition returned = lock.newCondition();
    private final Deque<Predictor<I, O>> idle = new ArrayDeque<>();
    private final List<Predictor<I, O>> all = new ArrayList<>();
    private int borrowed;
    private boolean closed;

    /**
     * @param what    the model as messages name it ("the CLIP image tower")
     * @param factory makes a new predictor of the model
     * @param max     predictors at most (calls beyond wait for one); {@link Integer#MAX_VALUE}: one per caller
     */
    public PredictorPool(String what, Supplier<Predictor<I, O>> factory, int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1: " + max);
        }
        this.what = what;
        this.factory = factory;
        this.max = max;
    }

    /** One predictor per concurrent caller. */
    public static <I, O> PredictorPool<I, O> perCaller(String what, Supplier<Predictor<I, O>> factory) {
        return new PredictorPool<>(what, factory, Integer.MAX_VALUE);
    }

    /** Runs {@code call} with a borrowed predictor. */
    public <R> R with(Call<I, O, R> call) throws TranslateException {
        Predictor<I, O> p = borrow();
        try {
            return call.apply(p);
        } finally {
            release(p);
        }
    }

    /** Predictors made so far (tests). */
    public int created() {
        lock.lock();
        try {
            return all.size();
        } finally {
            lock.unlock();
        }
    }

    private Predictor<I, O> borrow() {
        lock.lock();
        try {
            while (true) {
                if (closed) {
                    throw new OcularException("The " + what + " has been closed.");
                }
                Predictor<I, O> p = idle.pollFirst();
                if (p == null && all.size() < max) {
                    p = factory.get();
                    all.add(p);
                }
                if (p != null) {
                    borrowed++;
                    return p;
                }
                returned.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
    }

    private void release(Predictor<I, O> p) {
        lock.lock();
        try {
            borrowed--;
            if (closed) {
                p.close(); // the pool closed while this call ran
            } else {
                idle.addFirst(p);
            }
            returned.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Closes the idle predictors at once and each borrowed one when it comes back (waiting up to 10 s). */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            idle.forEach(Predictor::close);
            idle.clear();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MILLIS);
            while (borrowed > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break; // a stuck call: its predictor is closed when (if) it returns
                }
                try {
                    returned.awaitNanos(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            all.clear();
            returned.signalAll();
        } finally {
            lock.unlock();
        }
    }
}

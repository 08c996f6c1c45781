package io.ocular.ui.common;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Hands values produced on any thread to a consumer on the UI executor, keeping at most ONE task pending
 * on the UI queue at a time: a burst of offers while a task is pending replaces the value it will deliver
 * instead of queueing more tasks. The consumer always sees the latest value offered before it ran.
 *
 * <p>A {@linkplain #throttled throttled} coalescer also keeps deliveries at least a minimum gap apart: an offer
 * that comes sooner is held (still at most one pending, replaced by later offers) and delivered when the gap
 * has passed. A producer that offers for every photo then costs the UI thread a few updates a second however
 * fast it runs, and the last value offered is always delivered.
 *
 * <p>Hand-written because it is a few lines and no UI library offers exactly this (ReactFX's
 * {@code successionEnds} needs the FX thread to produce events).
 */
public final class Coalescer<T> {
    /** Runs a task after a delay, on any thread (the coalescer then hands it to the UI executor). */
    @FunctionalInterface
    public interface Delayer {
        void after(long nanos, Runnable task);

        /** The JDK's shared delay scheduler. */
        static Delayer system() {
            return (nanos, task) -> CompletableFuture.delayedExecutor(nanos, TimeUnit.NANOSECONDS).execute(task);
        }
    }

    private final Executor ui;
    private final Consumer<? super T> consumer;
    private final long minGapNanos;
    private final LongSupplier clock;
    private final Delayer delayer;
    private final AtomicReference<T> latest = new AtomicReference<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile long lastDelivered;

    public Coalescer(Executor ui, Consumer<? super T> consumer) {
        this(ui, consumer, Duration.ZERO, System::nanoTime, Delayer.system());
    }

    /** Deliveries at least {@code minGap} apart, timed by {@code clock} (nanoseconds), delayed by {@code delayer}. */
    public Coalescer(Executor ui, Consumer<? super T> consumer, Duration minGap, LongSupplier clock, Delayer delayer) {
        this.ui = Objects.requireNonNull(ui, "ui");
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        this.minGapNanos = minGap.toNanos();
        if (minGapNanos < 0) {
            throw new IllegalArgumentException("minGap must not be negative: " + minGap);
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        this.delayer = Objects.requireNonNull(delayer, "delayer");
        this.lastDelivered = clock.getAsLong() - minGapNanos; // the first offer is delivered at once
    }

    /** A coalescer whose deliveries are at least {@code minGap} apart (real time). */
    public static <T> Coalescer<T> throttled(Executor ui, Consumer<? super T> consumer, Duration minGap) {
        return new Coalescer<>(ui, consumer, minGap, System::nanoTime, Delayer.system());
    }

    /** Called from any thread; never blocks. */
    public void offer(T value) {
        latest.set(Objects.requireNonNull(value, "value"));
        if (scheduled.compareAndSet(false, true)) {
            long wait = minGapNanos == 0 ? 0 : lastDelivered + minGapNanos - clock.getAsLong();
            if (wait <= 0) {
                ui.execute(this::drain);
            } else {
                delayer.after(wait, () -> ui.execute(this::drain));
            }
        }
    }

    private void drain() {
        // Clear the flag before taking the value: an offer racing with us either is taken now or schedules anew.
        scheduled.set(false);
        T value = latest.getAndSet(null);
        if (value != null) {
            lastDelivered = clock.getAsLong();
            consumer.accept(value);
        }
    }

    /** Whether a delivery is queued on the UI executor or waiting for its gap (for tests and diagnostics). */
    public boolean isScheduled() {
        return scheduled.get();
    }
}

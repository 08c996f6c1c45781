package io.ocular.ui.common;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Hands values produced on any thread to a consumer on the UI executor, keeping at most ONE task pending
 * on the UI queue at a time: a burst of offers while a task is pending replaces the value it will deliver
 * instead of queueing more tasks. The consumer always sees the latest value offered before it ran.
 *
 * <p>Hand-written because it is ten lines and no UI library offers exactly this (ReactFX's
 * {@code successionEnds} needs the FX thread to produce events).
 */
public final class Coalescer<T> {
    private final Executor ui;
    private final Consumer<? super T> consumer;
    private final AtomicReference<T> latest = new AtomicReference<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    public Coalescer(Executor ui, Consumer<? super T> consumer) {
        this.ui = Objects.requireNonNull(ui, "ui");
        this.consumer = Objects.requireNonNull(consumer, "consumer");
    }

    /** Called from any thread; never blocks. */
    public void offer(T value) {
        latest.set(Objects.requireNonNull(value, "value"));
        if (scheduled.compareAndSet(false, true)) {
            ui.execute(this::drain);
        }
    }

    private void drain() {
        // Clear the flag before taking the value: an offer racing with us either is taken now or schedules anew.
        scheduled.set(false);
        T value = latest.getAndSet(null);
        if (value != null) {
            consumer.accept(value);
        }
    }

    /** Whether a delivery is queued on the UI executor (for tests and diagnostics). */
    public boolean isScheduled() {
        return scheduled.get();
    }
}

package io.ocular.app;

import javafx.animation.AnimationTimer;
import javafx.application.Platform;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * FX-thread stalls, as a person would feel them: an {@link AnimationTimer} asks for a pulse every frame, and a
 * gap between two pulses over {@value #STALL_MS} ms is a stall. A watchdog thread looks at the FX thread while a
 * gap is open and records where it is: in Ocular's code (the first {@code io.ocular} frame of its stack), or
 * elsewhere (JavaFX rendering, waiting for a CPU on a loaded machine: the top frame), so that stalls caused by
 * Ocular are told apart from the machine's.
 */
final class FxPulseMonitor implements AutoCloseable {
    static final long STALL_MS = 100;

    private volatile long lastPulse;
    private volatile Thread fxThread;
    private volatile boolean running = true;
    private volatile long pulses; // written by the FX thread only
    private volatile long maxGapNanos; // written by the FX thread only
    private final List<Long> stallsMs = new ArrayList<>(); // guarded by this
    private final Map<String, Integer> ocularFrames = new TreeMap<>(); // guarded by this
    private final Map<String, Integer> otherFrames = new TreeMap<>(); // guarded by this
    private AnimationTimer timer;
    private Thread watchdog;

    void start() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        Platform.runLater(() -> {
            fxThread = Thread.currentThread();
            timer = new AnimationTimer() {
                @Override
                public void handle(long now) {
                    long t = System.nanoTime();
                    if (lastPulse != 0) {
                        long gap = t - lastPulse;
                        maxGapNanos = Math.max(maxGapNanos, gap);
                        if (gap > TimeUnit.MILLISECONDS.toNanos(STALL_MS)) {
                            synchronized (FxPulseMonitor.this) {
                                stallsMs.add(gap / 1_000_000);
                            }
                        }
                    }
                    pulses++;
                    lastPulse = t;
                }
            };
            timer.start();
            started.countDown();
        });
        if (!started.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the FX thread did not answer");
        }
        watchdog = new Thread(this::watch, "fx-stall-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    private void watch() {
        long sampledFor = 0;
        while (running) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
            long last = lastPulse;
            if (last != 0 && last != sampledFor && System.nanoTime() - last > TimeUnit.MILLISECONDS.toNanos(STALL_MS)) {
                sampledFor = last; // one look per stall
                StackTraceElement[] stack = fxThread.getStackTrace();
                String ocular = null;
                for (StackTraceElement f : stack) {
                    if (f.getClassName().startsWith("io.ocular.") && !f.getClassName().startsWith(getClass().getName())) {
                        ocular = f.getClassName() + "." + f.getMethodName();
                        break;
                    }
                }
                synchronized (this) {
                    if (ocular != null) {
                        ocularFrames.merge(ocular, 1, Integer::sum);
                    } else {
                        String top = stack.length == 0 ? "?" : stack[0].getClassName() + "." + stack[0].getMethodName();
                        otherFrames.merge(top, 1, Integer::sum);
                    }
                }
            }
        }
    }

    /** Stalls seen so far, in ms. */
    synchronized List<Long> stalls() {
        return List.copyOf(stallsMs);
    }

    synchronized int ocularStalls() {
        return ocularFrames.values().stream().mapToInt(Integer::intValue).sum();
    }

    synchronized String describe() {
        List<Long> s = new ArrayList<>(stallsMs);
        s.sort(null);
        return String.format(Locale.ROOT, "%d pulses, longest gap %d ms; %d gaps over %d ms (longest: %s); seen in"
                        + " Ocular's code %d times %s, elsewhere %s", pulses, maxGapNanos / 1_000_000, s.size(), STALL_MS,
                s.subList(Math.max(0, s.size() - 5), s.size()), ocularStalls(), ocularFrames, otherFrames);
    }

    @Override
    public void close() {
        running = false;
        if (watchdog != null) {
            watchdog.interrupt();
        }
        if (timer != null) {
            Platform.runLater(timer::stop);
        }
    }
}

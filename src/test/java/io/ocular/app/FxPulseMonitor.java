package io.ocular.app;

import javafx.animation.AnimationTimer;
import javafx.application.Platform;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * FX-thread stalls, as a person would feel them: an {@link AnimationTimer} asks for a pulse every frame, and a
 * gap between two pulses over {@value #STALL_MS} ms is a stall. Each pulse records the FX thread's own CPU time;
 * a watchdog looks at the FX thread every {@value #SAMPLE_MS} ms while a gap is open (its state, its stack, its
 * CPU time). When the gap closes, {@link StallClassifier} decides from that evidence whether Ocular's code used
 * the time (its CPU, or a wait inside it) or the FX thread was starved, parked for the renderer, or in JavaFX's
 * own work: one stack sample per gap could not tell a starved thread from slow code on a loaded machine.
 */
final class FxPulseMonitor implements AutoCloseable {
    static final long STALL_MS = 100;
    static final long SAMPLE_MS = 10;
    private static final long STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(STALL_MS);

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final StallClassifier classifier = new StallClassifier(STALL_NANOS);
    private volatile long lastPulse;
    private volatile long lastPulseCpu;
    private volatile Thread fxThread;
    private volatile boolean running = true;
    private volatile long pulses; // written by the FX thread only
    private volatile long maxGapNanos; // written by the FX thread only
    private final List<StallClassifier.Sample> open = new ArrayList<>(); // samples of the open gap; guarded by this
    private final List<StallClassifier.Gap> gaps = new ArrayList<>(); // guarded by this
    private final Map<String, Integer> ocularMethods = new TreeMap<>(); // guarded by this
    private long maxOcularCpuElsewhere; // guarded by this
    /** Ocular's CPU time on the FX thread inside gaps, by the method that most of it was charged to. */
    private final Map<String, Long> ocularCpuByMethod = new TreeMap<>(); // guarded by this
    private long samples; // guarded by this
    private AnimationTimer timer;
    private Thread watchdog;

    void start() throws InterruptedException {
        if (threads.isThreadCpuTimeSupported() && !threads.isThreadCpuTimeEnabled()) {
            threads.setThreadCpuTimeEnabled(true);
        }
        CountDownLatch started = new CountDownLatch(1);
        Platform.runLater(() -> {
            fxThread = Thread.currentThread();
            timer = new AnimationTimer() {
                @Override
                public void handle(long now) {
                    pulse(System.nanoTime(), threads.getCurrentThreadCpuTime());
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
        watchdog.setPriority(Thread.MAX_PRIORITY);
        watchdog.start();
    }

    /** On the FX thread, at every pulse. */
    private void pulse(long t, long cpu) {
        long last = lastPulse;
        if (last != 0) {
            long gap = t - last;
            maxGapNanos = Math.max(maxGapNanos, gap);
            synchronized (this) {
                if (gap > STALL_NANOS) {
                    List<StallClassifier.Sample> in = open.stream()
                            .filter(s -> s.wallNanos() > last && s.wallNanos() <= t).toList();
                    record(classifier.classify(last, lastPulseCpu, t, cpu, in));
                }
                open.clear();
            }
        }
        pulses++;
        lastPulseCpu = cpu;
        lastPulse = t;
    }

    private void record(StallClassifier.Gap g) { // guarded by this
        gaps.add(g);
        if (g.ocularMethod() != null && g.ocularCpuNanos() > 0) {
            ocularCpuByMethod.merge(g.ocularMethod(), g.ocularCpuNanos(), Long::sum);
        }
        boolean ocular = g.verdict() == StallClassifier.Verdict.OCULAR_CPU
                || g.verdict() == StallClassifier.Verdict.OCULAR_WAIT;
        if (ocular) {
            ocularMethods.merge(g.verdict() + " " + g.ocularMethod(), 1, Integer::sum);
        } else {
            maxOcularCpuElsewhere = Math.max(maxOcularCpuElsewhere, g.ocularCpuNanos());
        }
    }

    private void watch() {
        while (running) {
            try {
                Thread.sleep(SAMPLE_MS);
            } catch (InterruptedException e) {
                return;
            }
            Thread fx = fxThread;
            if (lastPulse == 0 || System.nanoTime() - lastPulse < TimeUnit.MILLISECONDS.toNanos(SAMPLE_MS)) {
                continue; // no gap open
            }
            ThreadInfo info = threads.getThreadInfo(fx.getId(), Integer.MAX_VALUE);
            long cpu = threads.getThreadCpuTime(fx.getId());
            long t = System.nanoTime();
            if (info == null) {
                continue;
            }
            String method = null;
            for (StackTraceElement f : info.getStackTrace()) {
                String c = f.getClassName();
                if (c.startsWith("io.ocular.") && !c.startsWith(FxPulseMonitor.class.getName())
                        && !c.startsWith(StallClassifier.class.getName())) {
                    method = c + "." + f.getMethodName();
                    break;
                }
            }
            StallClassifier.Where where = method == null ? StallClassifier.Where.OTHER
                    : info.getThreadState() == Thread.State.RUNNABLE ? StallClassifier.Where.OCULAR_RUNNING
                    : StallClassifier.Where.OCULAR_WAITING;
            synchronized (this) {
                open.add(new StallClassifier.Sample(t, cpu, where, method));
                samples++;
            }
        }
    }

    /** Stalls seen so far, in ms. */
    synchronized List<Long> stalls() {
        return gaps.stream().map(g -> g.wallNanos() / 1_000_000).toList();
    }

    /** Gaps over {@value #STALL_MS} ms in which Ocular's code used the time (its CPU, or a wait inside it). */
    synchronized int ocularStalls() {
        return ocularMethods.values().stream().mapToInt(Integer::intValue).sum();
    }

    synchronized String describe() {
        List<Long> s = new ArrayList<>(stalls());
        s.sort(null);
        Map<StallClassifier.Verdict, Integer> byVerdict = new EnumMap<>(StallClassifier.Verdict.class);
        long cpu = 0;
        long wall = 0;
        for (StallClassifier.Gap g : gaps) {
            byVerdict.merge(g.verdict(), 1, Integer::sum);
            cpu += g.cpuNanos();
            wall += g.wallNanos();
        }
        String topCpu = ocularCpuByMethod.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(8)
                .map(e -> String.format(Locale.ROOT, "%s %.1f ms", e.getKey(), e.getValue() / 1e6)).toList().toString();
        return String.format(Locale.ROOT, "%d pulses, longest gap %d ms; %d gaps over %d ms (longest: %s), %.1f s in"
                        + " all, in which the FX thread ran %.1f s on a CPU; %d watchdog samples; by verdict %s;"
                        + " Ocular stalls %d %s; most Ocular CPU in any other gap %.1f ms; Ocular CPU in gaps by"
                        + " method %s",
                pulses, maxGapNanos / 1_000_000, s.size(), STALL_MS, s.subList(Math.max(0, s.size() - 5), s.size()),
                wall / 1e9, cpu / 1e9, samples, byVerdict, ocularStalls(), ocularMethods,
                maxOcularCpuElsewhere / 1e6, topCpu);
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

package io.ocular.app;

import java.util.List;

/**
 * Tells a stalled FX thread that was running Ocular's code from one that was starved, waiting for the renderer,
 * or busy in JavaFX itself. The evidence for one gap between two pulses: the FX thread's CPU time at the pulse
 * that opened it and at the pulse that closed it, and the samples a watchdog took during it (wall time, the FX
 * thread's CPU time then, and what its stack showed). The CPU time between two samples is charged to what the
 * later sample saw, as a sampling profiler does.
 *
 * <p>The verdict does not depend on the machine's load: a gap counts against Ocular only when Ocular's code
 * used at least {@code stallNanos} of the FX thread's CPU time inside it ({@link Verdict#OCULAR_CPU}: on an idle
 * machine that work alone would freeze the window that long), or when the FX thread sat blocked or waiting
 * inside Ocular's code (a lock, I/O) for at least {@code stallNanos} of wall time ({@link Verdict#OCULAR_WAIT}).
 * Otherwise a gap in which the FX thread got less than half of the time on a CPU is {@link Verdict#NOT_RUNNING}
 * (starved, or parked until the renderer and the pulse timer, themselves starved, come back), and the rest is
 * {@link Verdict#JAVAFX} (JavaFX's own CSS, layout and rendering).
 */
final class StallClassifier {
    /** What the watchdog saw the FX thread doing. */
    enum Where {
        /** Runnable with an Ocular frame on its stack. */
        OCULAR_RUNNING,
        /** Blocked or waiting with an Ocular frame on its stack (a lock or I/O taken on the FX thread). */
        OCULAR_WAITING,
        /** Anything else: JavaFX, the JDK, parked between pulses. */
        OTHER
    }

    enum Verdict { OCULAR_CPU, OCULAR_WAIT, NOT_RUNNING, JAVAFX }

    /** One look at the FX thread: when, its CPU time then, where it was, and the Ocular method if any. */
    record Sample(long wallNanos, long cpuNanos, Where where, String ocularMethod) {
    }

    /** The verdict and the evidence behind it, in nanoseconds. */
    record Gap(Verdict verdict, long wallNanos, long cpuNanos, long ocularCpuNanos, long ocularWaitNanos,
               String ocularMethod) {
    }

    private final long stallNanos;

    StallClassifier(long stallNanos) {
        this.stallNanos = stallNanos;
    }

    /**
     * Classifies one gap. Samples must lie inside it and be in time order; CPU readings that go backwards or a
     * thread whose CPU time cannot be read (-1) are treated as no CPU used.
     */
    Gap classify(long startWall, long startCpu, long endWall, long endCpu, List<Sample> samples) {
        long wall = Math.max(0, endWall - startWall);
        long cpu = Math.max(0, endCpu - startCpu);
        long ocularCpu = 0;
        long ocularWait = 0;
        long prevWall = startWall;
        long prevCpu = startCpu;
        String method = null;
        long bestShare = -1;
        for (Sample s : samples) {
            long dCpu = Math.max(0, s.cpuNanos() - prevCpu);
            long dWall = Math.max(0, s.wallNanos() - prevWall);
            long share = 0;
            if (s.where() == Where.OCULAR_RUNNING) {
                ocularCpu += dCpu;
                share = dCpu;
            } else if (s.where() == Where.OCULAR_WAITING) {
                ocularWait += dWall;
                share = dWall;
            }
            if (s.ocularMethod() != null && share > bestShare) {
                bestShare = share;
                method = s.ocularMethod();
            }
            prevWall = Math.max(prevWall, s.wallNanos());
            prevCpu = Math.max(prevCpu, s.cpuNanos());
        }
        Verdict v;
        if (ocularCpu >= stallNanos) {
            v = Verdict.OCULAR_CPU;
        } else if (ocularWait >= stallNanos) {
            v = Verdict.OCULAR_WAIT;
        } else if (cpu * 2 < wall) {
            v = Verdict.NOT_RUNNING;
        } else {
            v = Verdict.JAVAFX;
        }
        return new Gap(v, wall, cpu, ocularCpu, ocularWait, method);
    }
}

package io.ocular.app;

import io.ocular.app.StallClassifier.Gap;
import io.ocular.app.StallClassifier.Sample;
import io.ocular.app.StallClassifier.Verdict;
import io.ocular.app.StallClassifier.Where;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The stall verdicts from CPU time and samples: the soak's FX-stall figures rest on them. */
class StallClassifierTest {
    private static final long MS = 1_000_000;
    private final StallClassifier classifier = new StallClassifier(100 * MS);

    /** Samples every 10 ms over [0, wallMs], each seeing {@code where}, the thread using cpuShare of each slice. */
    private static List<Sample> samples(long wallMs, double cpuShare, Where where, String method) {
        List<Sample> s = new ArrayList<>();
        for (long t = 10; t <= wallMs; t += 10) {
            s.add(new Sample(t * MS, (long) (t * cpuShare * MS), where, method));
        }
        return s;
    }

    @Test
    void ocularCodeThatBurns150msOfCpuIsAnOcularStall() {
        Gap g = classifier.classify(0, 0, 160 * MS, 158 * MS, samples(150, 1.0, Where.OCULAR_RUNNING, "a.B.c"));
        assertThat(g.verdict()).isEqualTo(Verdict.OCULAR_CPU);
        assertThat(g.ocularCpuNanos()).isEqualTo(150 * MS);
        assertThat(g.ocularMethod()).isEqualTo("a.B.c");
    }

    @Test
    void aStarvedThreadSeenInOcularCodeIsNotAnOcularStall() {
        // 2 s of wall time, but the thread got 5% of a CPU: 100 ms of it; Ocular's share stays under the bound
        Gap g = classifier.classify(0, 0, 2000 * MS, 60 * MS, samples(2000, 0.03, Where.OCULAR_RUNNING, "a.B.c"));
        assertThat(g.verdict()).isEqualTo(Verdict.NOT_RUNNING);
        assertThat(g.ocularCpuNanos()).isEqualTo(60 * MS);
    }

    @Test
    void aSingleLateSampleInOcularCodeGetsOnlyTheCpuSinceThePreviousOne() {
        List<Sample> s = new ArrayList<>(samples(300, 0.9, Where.OTHER, null));
        s.add(new Sample(310 * MS, 300 * MS, Where.OCULAR_RUNNING, "a.B.c")); // 30 ms of CPU in Ocular's code
        Gap g = classifier.classify(0, 0, 320 * MS, 305 * MS, s);
        assertThat(g.ocularCpuNanos()).isEqualTo(30 * MS);
        assertThat(g.verdict()).isEqualTo(Verdict.JAVAFX);
    }

    @Test
    void parkedBetweenPulsesIsNotRunning() {
        Gap g = classifier.classify(0, 5 * MS, 400 * MS, 7 * MS, samples(390, 0, Where.OTHER, null));
        assertThat(g.verdict()).isEqualTo(Verdict.NOT_RUNNING);
        assertThat(g.cpuNanos()).isEqualTo(2 * MS);
    }

    @Test
    void waitingOnALockInsideOcularCodeIsAnOcularStall() {
        Gap g = classifier.classify(0, 0, 200 * MS, 1 * MS, samples(190, 0, Where.OCULAR_WAITING, "a.Store.read"));
        assertThat(g.verdict()).isEqualTo(Verdict.OCULAR_WAIT);
        assertThat(g.ocularWaitNanos()).isEqualTo(190 * MS);
        assertThat(g.ocularMethod()).isEqualTo("a.Store.read");
    }

    @Test
    void busyInJavaFxItselfIsJavaFx() {
        Gap g = classifier.classify(0, 0, 200 * MS, 190 * MS, samples(190, 0.95, Where.OTHER, null));
        assertThat(g.verdict()).isEqualTo(Verdict.JAVAFX);
        assertThat(g.ocularMethod()).isNull();
    }

    @Test
    void unreadableOrBackwardsCpuCountsAsNone() {
        List<Sample> s = List.of(new Sample(50 * MS, -1, Where.OCULAR_RUNNING, "a.B.c"));
        Gap g = classifier.classify(0, 10 * MS, 200 * MS, -1, s);
        assertThat(g.cpuNanos()).isZero();
        assertThat(g.ocularCpuNanos()).isZero();
        assertThat(g.verdict()).isEqualTo(Verdict.NOT_RUNNING);
    }
}

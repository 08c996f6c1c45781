package io.ocular.search;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The equal-recall comparison: cheapest point per side by CPU time, honest when a side never reaches a level. */
class EqualRecallTest {
    private static SearchBench.Result point(String index, int nprobe, int ef, double wall, double cpu, double recall) {
        return new SearchBench.Result(1000, 16, index, 64, 32, nprobe, 10, 0, 0, wall, wall * 2, cpu, recall, 8, 1,
                20, "", ef);
    }

    @Test
    void picksTheCheapestPointOfEachSideThatReachesTheLevelByCpuTime() {
        List<SearchBench.Result> ours = List.of(point("ivfpq", 8, 0, 1.0, 1.0, 0.94),
                point("ivfpq", 16, 0, 3.0, 2.0, 0.972), point("ivfpq", 32, 0, 2.5, 3.0, 0.991));
        List<SearchBench.Result> peer = List.of(point("hnsw", 0, 100, 1.5, 1.5, 0.955),
                point("hnsw", 0, 200, 2.0, 3.0, 0.98), point("hnsw", 0, 400, 4.0, 6.0, 0.996));

        List<EqualRecall> eq = EqualRecall.compare(ours, peer);

        assertThat(eq).extracting(EqualRecall::level).containsExactly(0.95, 0.97, 0.99);
        // 0.95: ours' nprobe 16 (CPU 2.0, though its wall time is above nprobe 32's) against ef 100
        assertThat(eq.get(0).ours().orElseThrow().nprobe()).isEqualTo(16);
        assertThat(eq.get(0).peer().orElseThrow().ef()).isEqualTo(100);
        assertThat(eq.get(0).peerCpuRatio()).isCloseTo(0.75, within(1e-12));
        assertThat(eq.get(0).peerWallRatio()).isCloseTo(0.5, within(1e-12));
        assertThat(eq.get(0).verdict()).startsWith("recall@10 >= 0.95: peer faster");
        // 0.97: ef 100 no longer reaches it
        assertThat(eq.get(1).peer().orElseThrow().ef()).isEqualTo(200);
        assertThat(eq.get(1).peerCpuRatio()).isCloseTo(1.5, within(1e-12));
        assertThat(eq.get(1).verdict()).contains("ours faster", "1.50x");
        // 0.99: only nprobe 32 and ef 400
        assertThat(eq.get(2).ours().orElseThrow().nprobe()).isEqualTo(32);
        assertThat(eq.get(2).peer().orElseThrow().ef()).isEqualTo(400);
        assertThat(eq.get(2).peerCpuRatio()).isCloseTo(2.0, within(1e-12));
    }

    @Test
    void saysSoWhenASideReachesNoLevelAndGivesNoRatio() {
        List<SearchBench.Result> ours = List.of(point("ivfpq", 16, 0, 1.0, 1.0, 0.96));
        List<SearchBench.Result> peer = List.of(point("hnsw", 0, 100, 1.0, 1.0, 0.98));

        List<EqualRecall> eq = EqualRecall.compare(ours, peer);

        assertThat(eq.get(1).ours()).isEmpty();
        assertThat(eq.get(1).peerCpuRatio()).isNaN();
        assertThat(eq.get(1).verdict()).isEqualTo("ours reached recall@10 >= 0.97 at no measured point (the peer did)");
        assertThat(eq.get(2).verdict()).isEqualTo("neither reached recall@10 >= 0.99 at any measured point");
        assertThat(EqualRecall.compare(peer, ours).get(1).verdict())
                .isEqualTo("the peer reached recall@10 >= 0.97 at no measured point (ours did)");
        assertThat(EqualRecall.compare(ours, List.of())).isEmpty();
    }

    @Test
    void fallsBackToWallTimeWhereCpuTimeIsNotMeasured() {
        List<SearchBench.Result> ours = List.of(point("ivfpq", 8, 0, 4.0, Double.NaN, 0.99),
                point("ivfpq", 16, 0, 2.0, Double.NaN, 0.99));
        List<SearchBench.Result> peer = List.of(point("hnsw", 0, 100, 3.0, Double.NaN, 0.99));

        EqualRecall at95 = EqualRecall.compare(ours, peer).get(0);

        assertThat(at95.ours().orElseThrow().nprobe()).isEqualTo(16);
        assertThat(at95.peerCpuRatio()).isCloseTo(1.5, within(1e-12));
    }
}

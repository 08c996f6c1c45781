package io.ocular.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code bench search}: the tuning options, --index auto, and the peer in the same run (small n). */
class BenchSearchCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String... args) throws Exception {
        CliRun r = CliRun.run(args);
        assertThat(r.code()).as(r.err()).isZero();
        return JSON.readTree(r.out());
    }

    @Test
    void sweepsNprobeAndRerankOverOneTrainedIndexAndPrintsTheParameters() throws Exception {
        JsonNode j = json("bench", "search", "--n", "3000", "--dim", "16", "--index", "ivfpq", "--bits", "32",
                "--nlist", "32", "--nprobe", "1,32", "--rerank", "1,20", "--queries", "30", "--json");
        assertThat(j.get("index").asText()).isEqualTo("ivfpq");
        assertThat(j.get("nlist").asInt()).isEqualTo(32);
        assertThat(j.get("nprobe").asInt()).isEqualTo(1);
        assertThat(j.get("rerank").asInt()).isEqualTo(1);
        JsonNode sweep = j.get("sweep");
        assertThat(sweep).hasSize(4);
        assertThat(sweep.get(3).get("nprobe").asInt()).isEqualTo(32);
        assertThat(sweep.get(3).get("rerank").asInt()).isEqualTo(20);
        // every list probed and 200 candidates re-ranked exactly: near-perfect, and better than 1 list / 10 codes
        assertThat(sweep.get(3).get("recall_at_10").asDouble()).isGreaterThan(0.95)
                .isGreaterThan(sweep.get(0).get("recall_at_10").asDouble());
        assertThat(j.get("exact_p50_ms").asDouble()).isPositive();
        assertThat(j.get("exact_speedup").asDouble()).isPositive();
        assertThat(j.has("peer")).isFalse();
        assertThat(j.get("load_before").asDouble()).isNotNaN();
    }

    @Test
    void threadsSetsTheScanPoolAndIsPrinted() throws Exception {
        JsonNode j = json("bench", "search", "--n", "500", "--dim", "8", "--threads", "1", "--queries", "5", "--json");
        assertThat(j.get("threads").asInt()).isEqualTo(1);
        CliRun bad = CliRun.run("bench", "search", "--n", "500", "--dim", "8", "--threads", "-1");
        assertThat(bad.code()).isNotZero();
        assertThat(bad.err()).contains("--threads");
    }

    @Test
    void autoPicksWhatTheAppUsesAtThatSize() throws Exception {
        JsonNode j = json("bench", "search", "--n", "500", "--dim", "8", "--index", "auto", "--queries", "5", "--json");
        assertThat(j.get("index_requested").asText()).isEqualTo("auto");
        assertThat(j.get("index").asText()).isEqualTo("exact");
        assertThat(j.get("recall_at_10").asDouble()).isEqualTo(1.0);
    }

    @Test
    void peerRunsLuceneHnswOnTheSameDataInTheSameRun() throws Exception {
        JsonNode j = json("bench", "search", "--n", "1000", "--dim", "16", "--index", "pq", "--bits", "64",
                "--rerank", "10", "--peer", "--queries", "20", "--json");
        JsonNode peer = j.get("peer");
        assertThat(peer.get("index").asText()).isEqualTo("hnsw");
        assertThat(peer.get("recall_at_10").asDouble()).isGreaterThan(0.8);
        assertThat(peer.get("build_s").asDouble()).isPositive();
        assertThat(peer.get("bytes_per_image").asDouble()).isGreaterThan(64);
        assertThat(j.get("peer_p50_ratio").asDouble()).isPositive();
        assertThat(j.get("peer_build_ratio").asDouble()).isPositive();
        assertThat(j.get("bytes_per_image").asDouble()).isEqualTo(8.0);

        CliRun text = CliRun.run("bench", "search", "--n", "1000", "--dim", "16", "--index", "exact", "--peer",
                "--queries", "5");
        assertThat(text.code()).as(text.err()).isZero();
        assertThat(text.out()).containsPattern("(?m)^peer\\s+index=hnsw .*recall_at_10=");
    }

    @Test
    void reportsCpuTimePerQueryForOursThePeerAndExact() throws Exception {
        JsonNode j = json("bench", "search", "--n", "2000", "--dim", "32", "--index", "ivfpq", "--bits", "64",
                "--nlist", "16", "--rerank", "5,10", "--peer", "--queries", "20", "--json");
        double ours = j.get("cpu_p50_ms").asDouble();
        double exact = j.get("exact_cpu_p50_ms").asDouble();
        double peer = j.at("/peer/cpu_p50_ms").asDouble();
        assertThat(ours).isPositive();
        assertThat(exact).isPositive();
        assertThat(peer).isPositive();
        assertThat(j.get("exact_cpu_speedup").asDouble()).isCloseTo(exact / ours, within(1e-9));
        assertThat(j.get("peer_cpu_ratio").asDouble()).isCloseTo(peer / ours, within(1e-9));
        assertThat(j.get("sweep").get(1).get("cpu_p50_ms").asDouble()).isPositive();
        // CPU time of a single-threaded search cannot exceed its wall time by much (nothing else adds to it)
        assertThat(peer).isLessThanOrEqualTo(j.at("/peer/p99_ms").asDouble() * 1.05 + 0.05);

        CliRun text = CliRun.run("bench", "search", "--n", "1000", "--dim", "16", "--index", "exact", "--queries", "5");
        assertThat(text.code()).as(text.err()).isZero();
        assertThat(text.out()).containsPattern("(?m)^cpu_p50_ms\\s+\\d").containsPattern("(?m)^exact_cpu_p50_ms\\s+\\d");
        assertThat(CliRun.run("bench", "search", "--help").out()).contains("cpu_p50_ms");
    }

    @Test
    void thePeerTakesMobileNetWidthVectors() throws Exception {
        // Lucene's default vector format refuses more than 1024 dimensions; MobileNetV2 has 1280
        JsonNode j = json("bench", "search", "--n", "300", "--dim", "1280", "--index", "exact", "--peer",
                "--queries", "5", "--json");
        assertThat(j.at("/peer/recall_at_10").asDouble()).isGreaterThan(0.8);
    }

    @Test
    void peerEfMeasuresEachBeamOnOneGraphAndComparesAtEqualRecall() throws Exception {
        JsonNode j = json("bench", "search", "--n", "2000", "--dim", "16", "--index", "ivfpq", "--bits", "32",
                "--nlist", "16", "--nprobe", "1,16", "--rerank", "10", "--peer-ef", "10,200", "--queries", "30",
                "--json");
        // --peer-ef implies --peer; one graph built (merged), each beam measured on it
        JsonNode peers = j.get("peer_sweep");
        assertThat(peers).hasSize(2);
        assertThat(peers.get(0).get("ef").asInt()).isEqualTo(10);
        assertThat(peers.get(1).get("ef").asInt()).isEqualTo(200);
        assertThat(peers.get(0).get("build_s").asDouble()).isEqualTo(peers.get(1).get("build_s").asDouble());
        assertThat(peers.get(1).get("recall_at_10").asDouble())
                .isGreaterThanOrEqualTo(peers.get(0).get("recall_at_10").asDouble()).isGreaterThan(0.95);
        assertThat(j.at("/peer/ef").asInt()).isEqualTo(10);
        assertThat(j.get("peer_build_threads").asInt()).isEqualTo(j.get("threads").asInt());
        assertThat(j.get("peer_build_add_s").asDouble() + j.get("peer_build_merge_s").asDouble())
                .isCloseTo(j.at("/peer/build_s").asDouble(), within(1e-6));
        // the builds' process CPU time, the load-independent build cost, and its ratio
        assertThat(j.get("build_cpu_s").asDouble()).isPositive();
        assertThat(j.at("/peer/build_cpu_s").asDouble()).isPositive();
        assertThat(j.get("peer_build_cpu_ratio").asDouble()).isCloseTo(
                j.at("/peer/build_cpu_s").asDouble() / j.get("build_cpu_s").asDouble(), within(1e-9));

        JsonNode eq = j.get("equal_recall");
        assertThat(eq).hasSize(3);
        assertThat(eq.get(0).get("level").asDouble()).isEqualTo(0.95);
        assertThat(eq.get(2).get("level").asDouble()).isEqualTo(0.99);
        for (JsonNode level : eq) {
            double l = level.get("level").asDouble();
            checkCheapest(level, "ours", j.get("sweep"), l);
            checkCheapest(level, "peer", peers, l);
            if (level.has("ours_cpu_p50_ms") && level.has("peer_cpu_p50_ms")) {
                assertThat(level.get("peer_cpu_ratio").asDouble()).isCloseTo(
                        level.get("peer_cpu_p50_ms").asDouble() / level.get("ours_cpu_p50_ms").asDouble(),
                        within(1e-9));
                assertThat(level.get("verdict").asText()).containsPattern("(ours|peer) faster|tie");
            } else {
                assertThat(level.has("peer_cpu_ratio")).isFalse();
                assertThat(level.get("verdict").asText()).contains("at no measured point");
            }
        }

        CliRun text = CliRun.run("bench", "search", "--n", "1000", "--dim", "16", "--index", "ivfpq", "--bits", "32",
                "--nlist", "8", "--nprobe", "8", "--peer-ef", "10,100", "--queries", "10");
        assertThat(text.code()).as(text.err()).isZero();
        assertThat(text.out()).containsPattern("(?m)^equal_recall\\s+level=0\\.9500 .*verdict=recall@10 >= 0\\.95")
                .containsPattern("(?m)^peer_sweep\\s+index=hnsw .*ef=10 .*\\| index=hnsw .*ef=100 ");
    }

    /** The row's point for {@code side} is the cheapest by CPU among the side's points reaching the level. */
    private static void checkCheapest(JsonNode level, String side, JsonNode points, double l) {
        double best = Double.POSITIVE_INFINITY;
        for (JsonNode p : points) {
            if (p.get("recall_at_10").asDouble() >= l) {
                best = Math.min(best, p.get("cpu_p50_ms").asDouble());
            }
        }
        if (best == Double.POSITIVE_INFINITY) {
            assertThat(level.has(side + "_cpu_p50_ms")).as(side + " reaches " + l).isFalse();
        } else {
            assertThat(level.get(side + "_cpu_p50_ms").asDouble()).as(side + " at " + l).isEqualTo(best);
            assertThat(level.get(side + "_recall_at_10").asDouble()).isGreaterThanOrEqualTo(l);
        }
    }

    @Test
    void badPeerEfGetsAClearMessage() {
        CliRun small = CliRun.run("bench", "search", "--n", "1000", "--dim", "16", "--peer-ef", "100,5");
        assertThat(small.code()).isEqualTo(2);
        assertThat(small.err()).contains("--peer-ef >= 10");
        assertThat(CliRun.run("bench", "search", "--help").out()).contains("--peer-ef", "equal_recall",
                "numCandidates", "build_cpu_s");
    }

    @Test
    void badTuningValuesGetAClearMessage() {
        CliRun zero = CliRun.run("bench", "search", "--n", "1000", "--dim", "16", "--index", "ivfpq", "--nprobe", "0");
        assertThat(zero.code()).isEqualTo(2);
        assertThat(zero.err()).contains("--nprobe >= 1");
        CliRun lists = CliRun.run("bench", "search", "--n", "100", "--dim", "16", "--index", "ivfpq", "--nlist", "500");
        assertThat(lists.code()).isEqualTo(2);
        assertThat(lists.err()).contains("--nlist <= --n");
        CliRun kind = CliRun.run("bench", "search", "--n", "100", "--dim", "16", "--index", "hnws");
        assertThat(kind.code()).isEqualTo(1);
        assertThat(kind.err()).contains("Unknown index 'hnws'");
        CliRun help = CliRun.run("bench", "search", "--help");
        assertThat(help.out()).contains("--nprobe", "--nlist", "--rerank", "--peer", "auto");
    }
}

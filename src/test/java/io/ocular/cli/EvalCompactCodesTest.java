package io.ocular.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code ocular eval --index spq} end to end over the built-in model on a tiny generated dataset. */
class EvalCompactCodesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private CliRun cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--cache", tmp.resolve("cache").toString()));
        return CliRun.inDataDir(tmp.resolve("data"), all.toArray(String[]::new));
    }

    /** Two folders (= classes) of 20 photos each: reddish and bluish, with stripes that vary. */
    private Path dataset() throws Exception {
        Path ds = tmp.resolve("ds");
        for (int i = 0; i < 20; i++) {
            OcularCliIntegrationTest.png(ds.resolve("red/" + i + ".png"), new Color(200 + i, 20 + 3 * i, 30), i % 6);
            OcularCliIntegrationTest.png(ds.resolve("blue/" + i + ".png"), new Color(30, 20 + 3 * i, 200 + i), i % 6);
        }
        return ds;
    }

    @Test
    void spqTrainsOnTheDatasetAndRanksByItsCodesThenReusesTheCachedFeatures() throws Exception {
        Path ds = dataset();
        String[] args = {"eval", "--dataset", ds.toString(), "--protocol", "classes", "--index", "spq",
                "--bits", "8", "--codewords", "4", "--spq-batch", "8", "--epochs", "3", "--cycle-weight", "0.1",
                "--json"};
        CliRun r = cli(args);
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = JSON.readTree(r.out());
        assertThat(j.get("index").asText()).isEqualTo("spq");
        assertThat(j.get("bits").asInt()).isEqualTo(8);
        assertThat(j.get("train_photos").asInt()).isEqualTo(40);
        assertThat(j.get("build_s").asDouble()).isPositive();
        assertThat(j.get("features_cached").asBoolean()).isFalse();
        assertThat(j.get("views_cached").asBoolean()).isFalse();
        // two balanced classes: a random ranking scores about 0.5; 8-bit codes of two colours keep most of it
        assertThat(j.get("mAP").asDouble()).isGreaterThan(0.6).isLessThanOrEqualTo(1.0);
        assertThat(r.err()).contains("SPQ epoch 3/3").contains("Cycle-consistent partners");

        CliRun again = cli(args);
        assertThat(again.code()).as(again.err()).isZero();
        JsonNode k = JSON.readTree(again.out());
        assertThat(k.get("features_cached").asBoolean()).isTrue();
        assertThat(k.get("views_cached").asBoolean()).isTrue();
        // same features, same seeds: the same codes and the same score
        assertThat(k.get("mAP").asDouble()).isEqualTo(j.get("mAP").asDouble());
    }

    @Test
    void tooSmallADatasetForTheCodebooksIsAClearErrorBeforeAnyTraining() throws Exception {
        Path ds = dataset();
        CliRun r = cli("eval", "--dataset", ds.toString(), "--protocol", "classes", "--index", "spq", "--bits", "32");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("ocular: ").contains("SPQ cannot be trained on this dataset")
                .contains("at least 1024").contains("has 40").doesNotContain("\tat ").doesNotContain("Embedding");

        CliRun bad = cli("eval", "--dataset", ds.toString(), "--protocol", "classes", "--index", "spq",
                "--codewords", "5");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).contains("power of two");
        CliRun pq = cli("eval", "--dataset", ds.toString(), "--protocol", "classes", "--index", "pq", "--bits", "32");
        assertThat(pq.code()).isEqualTo(1);
        assertThat(pq.err()).contains("at least 256 vectors");
    }

    @Test
    void spqHeadAndCycleOptionsAreCheckedBeforeAnyWork() throws Exception {
        Path ds = dataset();
        CliRun head = cli("eval", "--dataset", ds.toString(), "--protocol", "classes", "--index", "spq",
                "--bits", "8", "--codewords", "4", "--spq-batch", "8", "--spq-head", "pooled");
        assertThat(head.code()).isEqualTo(1);
        assertThat(head.err()).startsWith("ocular: ").contains("Unknown SPQ head 'pooled'").doesNotContain("\tat ");
        CliRun notSpq = cli("eval", "--dataset", ds.toString(), "--protocol", "classes", "--index", "pq",
                "--spq-head", "map");
        assertThat(notSpq.code()).isEqualTo(1);
        assertThat(notSpq.err()).contains("--spq-head applies to --index spq only");
        CliRun size = cli("eval", "--dataset", ds.toString(), "--protocol", "classes", "--index", "spq",
                "--bits", "8", "--codewords", "4", "--spq-batch", "8", "--spq-head", "map", "--spq-map-size", "100");
        assertThat(size.code()).isEqualTo(1);
        assertThat(size.err()).contains("--spq-map-size must be a multiple of 32");
        // the built-in model's data folder has no MobileNetV2 feature model: said before any indexing
        CliRun missing = cli("eval", "--dataset", ds.toString(), "--protocol", "classes", "--index", "spq",
                "--bits", "8", "--codewords", "4", "--spq-batch", "8", "--spq-head", "map");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("needs the MobileNetV2 feature model").doesNotContain("Embedding");
        CliRun close = cli("eval", "--dataset", ds.toString(), "--protocol", "classes", "--index", "spq",
                "--bits", "8", "--codewords", "4", "--spq-batch", "8", "--cycle-close", "-2");
        assertThat(close.code()).isEqualTo(1);
        assertThat(close.err()).contains("--cycle-close must be");
        CliRun codesVector = cli("eval", "--dataset", ds.toString(), "--protocol", "classes", "--index", "spq",
                "--bits", "8", "--codewords", "4", "--spq-batch", "8", "--spq-map-codes", "pq");
        assertThat(codesVector.code()).isEqualTo(1);
        assertThat(codesVector.err()).contains("--spq-map-codes applies to --index spq --spq-head map only")
                .doesNotContain("Embedding");
        CliRun codesUnknown = cli("eval", "--dataset", ds.toString(), "--protocol", "classes", "--index", "spq",
                "--bits", "8", "--codewords", "4", "--spq-batch", "8", "--spq-head", "map", "--spq-map-codes", "hnsw");
        assertThat(codesUnknown.code()).isEqualTo(1);
        assertThat(codesUnknown.err()).contains("Unknown index 'hnsw'").doesNotContain("\tat ");
        CliRun help = CliRun.inDataDir(tmp.resolve("data"), "eval", "--help");
        assertThat(help.out()).contains("--spq-head").contains("--spq-map-size").contains("--cycle-close")
                .contains("--spq-map-codes")
                .contains("--seed").contains("events");
    }

    @Test
    void spqCanStartFromPqAndItsOptionsAreChecked() throws Exception {
        Path ds = dataset();
        CliRun r = cli("eval", "--dataset", ds.toString(), "--protocol", "classes", "--index", "spq",
                "--bits", "8", "--codewords", "4", "--spq-batch", "8", "--epochs", "2", "--spq-start", "pq",
                "--spq-lr", "0.0001", "--spq-base-view", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = JSON.readTree(r.out());
        assertThat(j.get("spq_start").asText()).isEqualTo("pq");
        assertThat(j.get("spq_base_view").asBoolean()).isTrue();
        assertThat(j.get("kept_epoch").asInt()).isEqualTo(2);
        assertThat(j.get("spq_lr").asDouble()).isEqualTo(1e-4, within(1e-9));
        // k-means codebooks of the two colours' features: the start already separates them
        assertThat(j.get("mAP").asDouble()).isGreaterThan(0.6).isLessThanOrEqualTo(1.0);

        CliRun selfCheck = cli("eval", "--dataset", ds.toString(), "--protocol", "classes", "--index", "spq",
                "--bits", "8", "--codewords", "4", "--spq-batch", "8", "--epochs", "1", "--spq-start", "pq",
                "--self-check");
        assertThat(selfCheck.code()).isEqualTo(1);
        assertThat(selfCheck.err()).contains("--self-check: too few photos").doesNotContain("\tat ");
        CliRun start = cli("eval", "--dataset", ds.toString(), "--protocol", "classes", "--index", "spq",
                "--bits", "8", "--codewords", "4", "--spq-batch", "8", "--spq-start", "warm");
        assertThat(start.code()).isEqualTo(1);
        assertThat(start.err()).contains("Unknown SPQ start 'warm'").doesNotContain("Embedding");
        CliRun notVector = cli("eval", "--dataset", ds.toString(), "--protocol", "classes", "--index", "pq",
                "--self-check");
        assertThat(notVector.code()).isEqualTo(1);
        assertThat(notVector.err()).contains("apply to").contains("--index spq --spq-head vector only");
        CliRun lr = cli("eval", "--dataset", ds.toString(), "--protocol", "classes", "--index", "spq",
                "--bits", "8", "--codewords", "4", "--spq-batch", "8", "--spq-lr", "-1");
        assertThat(lr.code()).isEqualTo(1);
        assertThat(lr.err()).contains("--spq-lr must be 0 or positive");
        CliRun early = cli("eval", "--dataset", ds.toString(), "--protocol", "classes", "--index", "spq",
                "--bits", "8", "--codewords", "4", "--spq-batch", "8", "--spq-early-stop");
        assertThat(early.code()).isEqualTo(1);
        assertThat(early.err()).contains("--spq-early-stop needs --self-check").doesNotContain("Embedding");
        CliRun help = CliRun.inDataDir(tmp.resolve("data"), "eval", "--help");
        assertThat(help.out()).contains("--spq-start").contains("--spq-lr").contains("--self-check")
                .contains("--spq-base-view").contains("--spq-early-stop");
    }
}

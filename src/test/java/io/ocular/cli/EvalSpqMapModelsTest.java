package io.ocular.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ocular.testing.SharedData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ocular eval --index spq --spq-head map} end to end with the real MobileNetV2 feature model. */
@Tag("models")
class EvalSpqMapModelsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void theMapHeadTrainsOnFeatureMapsAndRanksByItsOwnPooledCodes() throws Exception {
        Path model = SharedData.mobileNetV2();
        Path data = tmp.resolve("data");
        CliRun imported = CliRun.inDataDir(data, "models", "import", model.toString());
        assertThat(imported.code()).as(imported.err()).isZero();
        Path ds = tmp.resolve("ds");
        for (int i = 0; i < 20; i++) {
            OcularCliIntegrationTest.png(ds.resolve("red/" + i + ".png"), new Color(200 + i, 20 + 3 * i, 30), i % 6);
            OcularCliIntegrationTest.png(ds.resolve("blue/" + i + ".png"), new Color(30, 20 + 3 * i, 200 + i), i % 6);
        }
        CliRun r = CliRun.inDataDir(data, "eval", "--dataset", ds.toString(), "--protocol", "classes",
                "--model", "mobilenetv2-int8", "--index", "spq", "--spq-head", "map", "--spq-map-size", "64",
                "--bits", "8", "--codewords", "4", "--spq-batch", "8", "--epochs", "2", "--views", "2",
                "--cache", tmp.resolve("cache").toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = JSON.readTree(r.out());
        assertThat(j.get("spq_head").asText()).isEqualTo("map");
        assertThat(j.get("map_size").asInt()).isEqualTo(64);
        assertThat(j.get("train_photos").asInt()).isEqualTo(40);
        assertThat(j.get("learned_p").asDouble()).isGreaterThanOrEqualTo(1.0);
        assertThat(j.get("train_cpu_s").asDouble()).isPositive();
        // two colours, 8-bit codes: well above a random ranking's ~0.5
        assertThat(j.get("mAP").asDouble()).isGreaterThan(0.6);
        assertThat(r.err()).contains("SPQ map-head epoch 2/2").contains("Learned pooling");
        assertThat(j.get("map_codes").asText()).isEqualTo("spq");

        // the same pooled vectors, uncompressed: the learned pooling without the learned codes
        CliRun pooled = CliRun.inDataDir(data, "eval", "--dataset", ds.toString(), "--protocol", "classes",
                "--model", "mobilenetv2-int8", "--index", "spq", "--spq-head", "map", "--spq-map-size", "64",
                "--bits", "8", "--codewords", "4", "--spq-batch", "8", "--epochs", "2", "--views", "2",
                "--spq-map-codes", "exact", "--cache", tmp.resolve("cache").toString(), "--json");
        assertThat(pooled.code()).as(pooled.err()).isZero();
        JsonNode p = JSON.readTree(pooled.out());
        assertThat(p.get("map_codes").asText()).isEqualTo("exact");
        assertThat(p.get("train_photos").asInt()).isEqualTo(40);
        assertThat(p.get("mAP").asDouble()).isGreaterThan(0.6);
    }
}

package io.ocular.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ocular.search.IndexPolicy;
import io.ocular.search.MappedVectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code bench catalog} writes a synthetic library; {@code bench library} opens the engine on it and measures. */
class BenchLibraryCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @AfterEach
    void restore() {
        System.clearProperty(IndexPolicy.EXACT_MAX_FLOATS_PROPERTY);
    }

    private CliRun run(String... args) {
        return CliRun.inDataDir(tmp.resolve("home"), args);
    }

    @Test
    void generatesALibraryAndMeasuresTheAppPathOnItsCompactCodesAndMappedVectors() throws Exception {
        Path lib = tmp.resolve("lib");
        CliRun gen = run("bench", "catalog", "--rows", "3000", "--out", lib.toString(), "--json");
        assertThat(gen.code()).as(gen.err()).isZero();
        JsonNode g = JSON.readTree(gen.out());
        assertThat(g.get("rows").asInt()).isEqualTo(3000);
        assertThat(g.get("catalog_bytes").asLong()).isPositive();

        // a small threshold puts this small library in the compact tier, as a million photos would be
        System.setProperty(IndexPolicy.EXACT_MAX_FLOATS_PROPERTY, "10000");
        CliRun bench = run("bench", "library", "--dir", lib.toString(), "--queries", "10", "--recall-queries", "5",
                "--sweep", "4:1,4:20", "--json");
        assertThat(bench.code()).as(bench.err()).isZero();
        JsonNode j = JSON.readTree(bench.out());
        assertThat(j.get("photos").asInt()).isEqualTo(3000);
        assertThat(j.get("index").asText()).startsWith("ivfpq").contains("loaded");
        assertThat(j.get("first_build_s").asDouble()).isPositive();
        assertThat(j.get("open_to_first_search_s").asDouble()).isPositive();
        assertThat(j.get("by_photo").get("p50_ms").asDouble()).isPositive();
        assertThat(j.get("with_feedback_30_excluded").get("p99_ms").asDouble()).isPositive();
        assertThat(j.get("folder_filter_1pct").get("p50_ms").asDouble()).isPositive();
        assertThat(j.get("folder_filter_10pct").get("p50_ms").asDouble()).isPositive();
        assertThat(j.get("date_filter_1_year").get("p50_ms").asDouble()).isPositive();
        assertThat(j.get("recall_at_10").asDouble()).isGreaterThan(0.5);
        assertThat(j.get("rss_mb").asDouble()).isPositive();
        assertThat(j.get("code_tier_bytes_per_photo").asDouble()).isPositive();
        assertThat(j.get("scope_ids_10pct_ms").get("p50_ms").asDouble()).isPositive();
        // the sweep searches the same codes at other search-time parameters: a deeper re-rank finds more
        JsonNode sweep = j.get("sweep");
        assertThat(sweep).hasSize(2);
        assertThat(sweep.get(0).get("index").asText()).contains("nprobe 4, rerank 1");
        assertThat(sweep.get(1).get("index").asText()).contains("nprobe 4, rerank 20");
        assertThat(sweep.get(1).get("recall_at_10").asDouble())
                .isGreaterThan(sweep.get(0).get("recall_at_10").asDouble());
        assertThat(sweep.get(1).get("p50_ms").asDouble()).isPositive();
        try (Stream<Path> files = Files.walk(lib.resolve("index"))) {
            assertThat(files.map(p -> p.getFileName().toString())).contains(MappedVectors.BASE_FILE);
        }
    }

    @Test
    void refusesAFolderThatAlreadyHasACatalogAndOneWithout() {
        Path lib = tmp.resolve("lib");
        assertThat(run("bench", "catalog", "--rows", "10", "--out", lib.toString()).code()).isZero();
        CliRun again = run("bench", "catalog", "--rows", "10", "--out", lib.toString());
        assertThat(again.code()).isNotZero();
        assertThat(again.err()).contains("already exists");
        CliRun none = run("bench", "library", "--dir", tmp.resolve("nothing").toString());
        assertThat(none.code()).isNotZero();
        assertThat(none.err()).contains("No catalog").doesNotContain("Exception");
        CliRun badSweep = run("bench", "library", "--dir", lib.toString(), "--sweep", "16:x");
        assertThat(badSweep.code()).isNotZero();
        assertThat(badSweep.err()).contains("--sweep takes NPROBE:R").contains("'16:x'");
    }
}

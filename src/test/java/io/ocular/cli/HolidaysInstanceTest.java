package io.ocular.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ocular.search.QuarterTurns;
import io.ocular.search.local.LocalVerifier;
import io.ocular.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Instance search on real holiday photos (a few groups of ../shared/data/holidays-dev, skipped when absent),
 * through the CLI with the real MobileNetV2 feature model: local verification with the app's promotion rule (the
 * reciprocal term of 0115's Amendment 8 included) must not lower the global mAP (decision record 0115: it only
 * promotes what geometry confirms), and a sideways copy of a photo is found first.
 */
class HolidaysInstanceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Groups 1000–1009: 10 queries, 28 photos. */
    private static final int GROUPS = 10;

    @TempDir
    Path tmp;

    private CliRun cli(String... args) {
        return CliRun.inDataDir(tmp.resolve("data"), args);
    }

    private Path firstGroups(Path into) throws Exception {
        Path images = SharedData.dataset("holidays-dev/images");
        Files.createDirectories(into);
        try (Stream<Path> s = Files.list(images)) {
            for (Path p : s.sorted().toList()) {
                int group = Integer.parseInt(p.getFileName().toString().substring(0, 4));
                if (group < 1000 + GROUPS) {
                    Files.createSymbolicLink(into.resolve(p.getFileName()), p);
                }
            }
        }
        return into;
    }

    @Test
    void verificationDoesNotLowerTheGlobalMap() throws Exception {
        Path onnx = SharedData.mobileNetV2();
        Path ds = firstGroups(tmp.resolve("holidays"));
        assertThat(cli("models", "import", onnx.toString()).code()).isZero();
        CliRun r = cli("eval", "--dataset", ds.toString(), "--protocol", "holidays", "--model", "mobilenetv2-int8",
                "--rerank", "local", "--no-cache", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = JSON.readTree(r.out());
        assertThat(j.get("queries").asInt()).isEqualTo(GROUPS);
        assertThat(j.get("rotations").asBoolean()).isTrue();
        // the app's promotion rule, reciprocal term included (decision record 0115, Amendment 8)
        assertThat(j.get("promote_reciprocal").asDouble()).isEqualTo(LocalVerifier.Config.RECIPROCAL_WEIGHT);
        assertThat(j.get("promote_threshold").asDouble())
                .isEqualTo(LocalVerifier.Config.RECIPROCAL_PROMOTION.threshold());
        assertThat(j.get("confidence_reciprocal").asDouble()).isEqualTo(LocalVerifier.Config.RECIPROCAL_WEIGHT);
        double global = j.get("global_mAP").asDouble();
        assertThat(global).isGreaterThan(0.5);
        assertThat(j.get("mAP").asDouble()).as(r.out()).isGreaterThanOrEqualTo(global - 0.005);
    }

    @Test
    void aSidewaysCopyIsFoundFirst() throws Exception {
        Path onnx = SharedData.mobileNetV2();
        Path library = firstGroups(tmp.resolve("library"));
        Path original = SharedData.dataset("holidays-dev/images/100300.jpg");
        // neither the query nor its group is in the library (its group-mates are near copies of it); its sideways
        // copy is (written at test time, never committed)
        for (String mate : List.of("100300.jpg", "100301.jpg", "100302.jpg")) {
            Files.delete(library.resolve(mate));
        }
        BufferedImage sideways = QuarterTurns.rotate(ImageIO.read(original.toFile()), 1);
        ImageIO.write(sideways, "jpg", library.resolve("sideways.jpg").toFile());
        assertThat(cli("models", "import", onnx.toString()).code()).isZero();
        CliRun index = cli("index", "--model", "mobilenetv2-int8", library.toString());
        assertThat(index.code()).as(index.err()).isZero();

        CliRun hit = cli("search", "--image", original.toString(), "-k", "3", "--json");
        assertThat(hit.code()).as(hit.err()).isZero();
        JsonNode h = JSON.readTree(hit.out());
        assertThat(h.at("/hits/0/path").asText()).as(hit.out()).endsWith("sideways.jpg");
        assertThat(h.at("/hits/0/turned").asInt()).as(hit.out()).isEqualTo(90);

        CliRun text = cli("search", "--image", original.toString(), "-k", "3");
        assertThat(text.code()).as(text.err()).isZero();
        assertThat(text.out()).contains("sideways? matches the example turned 90°").contains("only a suggestion");
    }

    @Test
    void moreLikeThisJoinsEachResultWithItsNearestLibraryPhoto() throws Exception {
        Path onnx = SharedData.mobileNetV2();
        Path library = firstGroups(tmp.resolve("library"));
        assertThat(cli("models", "import", onnx.toString()).code()).isZero();
        CliRun index = cli("index", "--model", "mobilenetv2-int8", library.toString());
        assertThat(index.code()).as(index.err()).isZero();
        int mates = 0;
        int matesAugmented = 0;
        int changed = 0;
        for (int g = 1000; g < 1000 + GROUPS; g++) {
            Path example = library.resolve(g + "00.jpg");
            CliRun off = cli("search", "--image", example.toString(), "-k", "2", "--augment", "off", "--json");
            CliRun on = cli("search", "--image", example.toString(), "-k", "2", "--json");
            assertThat(on.code()).as(on.err()).isZero();
            assertThat(off.code()).as(off.err()).isZero();
            JsonNode a = JSON.readTree(on.out());
            JsonNode b = JSON.readTree(off.out());
            for (int i = 0; i < 2; i++) {
                mates += b.at("/hits/" + i + "/path").asText().contains("/" + g) ? 1 : 0;
                matesAugmented += a.at("/hits/" + i + "/path").asText().contains("/" + g) ? 1 : 0;
            }
            changed += a.at("/hits/0/score").asDouble() != b.at("/hits/0/score").asDouble() ? 1 : 0;
        }
        assertThat(changed).as("the augmented scores differ from the plain ones").isEqualTo(GROUPS);
        assertThat(matesAugmented).as("group mates in the top 2 of 10 examples").isGreaterThanOrEqualTo(mates);

        CliRun bad = cli("search", "--image", library.resolve("100000.jpg").toString(), "--augment", "maybe");
        assertThat(bad.code()).isNotZero();
        assertThat(bad.err()).contains("--augment").doesNotContain("Exception");
    }
}

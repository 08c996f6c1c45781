package io.ocular.search;

import io.ocular.embed.InstalledModel;
import io.ocular.embed.ModelStore;
import io.ocular.embed.OnnxImageEncoder;
import io.ocular.model.ScoredId;
import io.ocular.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rotation handling with the turned query views embedded smaller ({@link RotatingSearchService#TURN_SHORT_SIDE},
 * decision record 0115) on real holiday photos and the real MobileNetV2 feature model (skipped without
 * ../shared): the library's photos are embedded at the model's own size, the query upright at its own size and
 * turned at the smaller one, and a sideways copy of the query still comes first, matched by the right turn.
 */
class SmallTurnedViewsTest {
    /** Groups 1000–1009 of holidays-dev. */
    private static final int GROUPS = 10;

    @Test
    void aSidewaysCopyIsFoundFirstFromSmallTurnedViews(@TempDir Path dataDir) throws Exception {
        Path onnx = SharedData.mobileNetV2();
        Path images = SharedData.dataset("holidays-dev/images");
        InstalledModel model = new ModelStore(dataDir).importFile(onnx, Optional.empty());
        BufferedImage original = ImageIO.read(images.resolve("100300.jpg").toFile());
        List<BufferedImage> library = new ArrayList<>();
        try (Stream<Path> s = Files.list(images)) {
            for (Path p : s.sorted().toList()) {
                String name = p.getFileName().toString();
                // the query's own group (near copies of it) is left out; its sideways copy goes in
                if (Integer.parseInt(name.substring(0, 4)) < 1000 + GROUPS && !name.startsWith("1003")) {
                    library.add(ImageIO.read(p.toFile()));
                }
            }
        }
        int sideways = library.size();
        library.add(QuarterTurns.rotate(original, 1));
        assertThat(library).hasSizeGreaterThan(20);

        try (OnnxImageEncoder encoder = new OnnxImageEncoder(model, 2, 16)) {
            assertThat(RotatingSearchService.TURN_SHORT_SIDE).isLessThan(encoder.preferredShortSide());
            float[][] db = encoder.encode(library);
            List<BufferedImage> turned = new ArrayList<>();
            for (int t = 1; t < 4; t++) {
                turned.add(QuarterTurns.rotate(original, t));
            }
            float[][] small = encoder.encode(turned, RotatingSearchService.TURN_SHORT_SIDE);
            float[] upright = encoder.encode(List.of(original))[0];
            assertThat(small[0]).hasSameSizeAs(upright).isNotEqualTo(encoder.encode(turned.subList(0, 1))[0]);

            List<List<ScoredId>> perTurn = new ArrayList<>();
            for (float[] q : new float[][] {upright, small[0], small[1], small[2]}) {
                perTurn.add(ranked(q, db));
            }
            List<RotationMerge.Hit> hits = RotationMerge.merge(perTurn, RotatingSearchService.TURN_PENALTY, 5);
            assertThat(hits.get(0).id()).as(hits.toString()).isEqualTo(sideways);
            assertThat(hits.get(0).turns()).isEqualTo(1);
            // and upright alone would not have found it first: the small turned views are what finds it
            assertThat(perTurn.get(0).get(0).id()).isNotEqualTo(sideways);
        }
    }

    private static List<ScoredId> ranked(float[] q, float[][] db) {
        List<ScoredId> out = new ArrayList<>();
        for (int i = 0; i < db.length; i++) {
            float dot = 0;
            for (int j = 0; j < q.length; j++) {
                dot += q[j] * db[i][j];
            }
            out.add(new ScoredId(i, dot));
        }
        out.sort(Comparator.comparingDouble(ScoredId::score).reversed());
        return out;
    }
}

package io.ocular.search.local;

import io.ocular.embed.LocalFeatureExtractor;
import io.ocular.model.DenseLocalFeatures;
import io.ocular.model.ScoredId;
import io.ocular.testing.SharedData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Real-model checks on a handful of images: a true instance verifies, bad inputs fall back. */
class LocalVerifierModelTest {

    private static LocalFeatureExtractor extractor;
    private static LocalVerifier verifier;
    private static BufferedImage bus;
    private static BufferedImage other;

    @BeforeAll
    static void setUp() throws IOException {
        extractor = new LocalFeatureExtractor(SharedData.mobileNetV2(), LocalFeatureExtractor.Pyramid.standard(), 2);
        Path corel = SharedData.dataset("corel1k");
        bus = ImageIO.read(corel.resolve("images/buses/300.jpg").toFile());
        other = ImageIO.read(corel.resolve("images/beaches/100.jpg").toFile());
        // PCA from the two photos' own features (enough for a test; the app fits on a collection sample)
        DenseLocalFeatures a = extractor.extract(bus);
        DenseLocalFeatures b = extractor.extract(other);
        int n = a.count() + b.count();
        float[] data = new float[n * 96];
        System.arraycopy(a.descriptors(), 0, data, 0, a.descriptors().length);
        System.arraycopy(b.descriptors(), 0, data, a.descriptors().length, b.descriptors().length);
        Pca pca = Pca.fit(data, n, 96, 40);
        verifier = new LocalVerifier(extractor, new LocalFeatureCompressor(new NormKeypointSelector(), pca, 300),
                new InMemoryLocalFeatureStore(), LocalVerifier.Config.defaults());
        verifier.index(1, bus);
        verifier.index(2, other);
    }

    @AfterAll
    static void tearDown() {
        if (extractor != null) {
            extractor.close();
        }
    }

    @Test
    void rotatedCropOfAPhotoIsVerifiedAndExplained(@TempDir Path dir) throws IOException {
        BufferedImage q = new BufferedImage(200, 180, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = q.createGraphics();
        g.setTransform(AffineTransform.getRotateInstance(Math.toRadians(12), 100, 90));
        g.drawImage(bus, -30, -40, null);
        g.dispose();
        LocalFeatures qf = verifier.describe(q);
        VerificationResult r = verifier.verify(qf, List.of(new ScoredId(2, 0.9f), new ScoredId(1, 0.6f)));
        assertThat(r.ranked().get(0).id()).isEqualTo(1L);
        assertThat(r.confidentMatch()).isTrue();
        assertThat(r.ranked().get(1).inliers()).isLessThan(r.ranked().get(0).inliers());
        Path png = dir.resolve("match.png");
        new LocalMatchRenderer(256, false).renderTo(q, bus, verifier.explain(qf, 1).orElseThrow(), png);
        assertThat(ImageIO.read(png.toFile()).getHeight()).isEqualTo(280);
    }

    @Test
    void tinyFlatAndExtremeImagesFallBackOrFailToMatchWithoutCrashing() {
        List<ScoredId> cands = List.of(new ScoredId(1, 0.5f), new ScoredId(2, 0.4f));
        VerificationResult tiny = verifier.verify(new BufferedImage(20, 20, BufferedImage.TYPE_INT_RGB), cands);
        assertThat(tiny.ranked()).allMatch(VerifiedCandidate::fallback);
        assertThat(tiny.ranked()).extracting(VerifiedCandidate::id).containsExactly(1L, 2L);

        BufferedImage grey = new BufferedImage(300, 200, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = grey.createGraphics();
        g.setColor(Color.GRAY);
        g.fillRect(0, 0, 300, 200);
        g.dispose();
        VerificationResult flat = verifier.verify(grey, cands);
        assertThat(flat.confidentMatch()).isFalse();
        assertThat(flat.ranked()).extracting(VerifiedCandidate::id).containsExactly(1L, 2L);

        VerificationResult thin = verifier.verify(new BufferedImage(4000, 50, BufferedImage.TYPE_INT_RGB), cands);
        assertThat(thin.confidentMatch()).isFalse();
        assertThat(thin.ranked()).hasSize(2);
        assertThat(verifier.index(3, new BufferedImage(20, 20, BufferedImage.TYPE_INT_RGB))).isPositive();
        assertThat(verifier.explain(verifier.describe(bus), 3).orElseThrow().inlierCount()).isZero();
    }
}

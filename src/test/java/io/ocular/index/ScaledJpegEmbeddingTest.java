package io.ocular.index;

import io.ocular.embed.InstalledModel;
import io.ocular.embed.ModelStore;
import io.ocular.embed.OnnxImageEncoder;
import io.ocular.index.JpegVariants.Layout;
import io.ocular.testing.SharedData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real MobileNetV2 feature model's vectors of 12 MP photos (shared holiday photos blown up to 4032 x 3024,
 * JPEG q90 4:2:0) decoded through the DCT-domain path versus ImageIO's subsampled path, at the model's own size:
 * cosine 0.99 or more on average ({@code mvn -B test -Pmodels -Dtest=ScaledJpegEmbeddingTest}).
 */
@Tag("models")
class ScaledJpegEmbeddingTest {
    @Test
    void twelveMegapixelPhotosEmbedAsThroughImageIo(@TempDir Path dir) throws IOException {
        Path images = SharedData.dataset("holidays-dev/images");
        InstalledModel model = new ModelStore(dir.resolve("models")).importFile(SharedData.mobileNetV2(),
                Optional.empty());
        List<Path> photos = new ArrayList<>();
        String[] names = {"100000.jpg", "100100.jpg", "100200.jpg", "100300.jpg", "100400.jpg", "100500.jpg",
            "100600.jpg", "100700.jpg"};
        for (String name : names) {
            BufferedImage src = ImageIO.read(images.resolve(name).toFile());
            boolean portrait = src.getHeight() > src.getWidth();
            BufferedImage big = JpegVariants.scaled(src, portrait ? 3024 : 4032, portrait ? 4032 : 3024);
            photos.add(Files.write(dir.resolve(name), JpegVariants.write(big, Layout.S420, 0.9f, 0)));
        }
        ImageDecoder scaled = new ImageDecoder();
        ImageDecoder imageIo = new ImageDecoder(FileAccess.system(), ImageDecoder.DEFAULT_MAX_PIXELS,
                HeifCodec.system(), false);
        try (OnnxImageEncoder encoder = new OnnxImageEncoder(model, 2, 8)) {
            int side = encoder.preferredShortSide();
            List<BufferedImage> viaDct = new ArrayList<>();
            List<BufferedImage> viaImageIo = new ArrayList<>();
            for (Path p : photos) {
                DecodedImage a = scaled.decode(p, side);
                DecodedImage b = imageIo.decode(p, side);
                assertThat(a.subsampling()).as("DCT-domain decode at 1/8").isEqualTo(8);
                assertThat(b.subsampling()).as("ImageIO's subsampled decode").isLessThan(8);
                viaDct.add(a.image());
                viaImageIo.add(b.image());
            }
            float[][] va = encoder.encode(viaDct);
            float[][] vb = encoder.encode(viaImageIo);
            double sum = 0;
            double min = 1;
            for (int i = 0; i < va.length; i++) {
                double cos = 0;
                for (int j = 0; j < va[i].length; j++) {
                    cos += va[i][j] * vb[i][j];   // both L2-normalised
                }
                sum += cos;
                min = Math.min(min, cos);
            }
            double mean = sum / va.length;
            System.out.printf("MobileNetV2 at %d px, 12 MP photos, DCT-domain vs ImageIO decode: mean cosine %.4f, "
                    + "min %.4f over %d photos%n", side, mean, min, va.length);
            assertThat(mean).isGreaterThanOrEqualTo(0.99);
        }
    }
}

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
 * JPEG q90 4:2:0) decoded through the DCT-domain path, through ImageIO's subsampled path (the old one) and, as the
 * reference, with every pixel decoded and then area-resized, at the model's own size
 * ({@code mvn -B test -Pmodels -Dtest=ScaledJpegEmbeddingTest}). ImageIO's source subsampling keeps every 4th pixel
 * (aliasing), the DCT-domain 1/8 image is an 8 x 8 area average: the new path must stay within cosine 0.98 of the old
 * on average and be at least as close to the reference as the old path is (or 0.99).
 */
@Tag("models")
class ScaledJpegEmbeddingTest {
    static double meanCosine(float[][] a, float[][] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                sum += a[i][j] * b[i][j];   // both L2-normalised
            }
        }
        return sum / a.length;
    }

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
            List<BufferedImage> reference = new ArrayList<>();
            for (Path p : photos) {
                // every pixel decoded, then the app's own resize (2:1 box-filter halvings, then bicubic)
                reference.add(ImageDecoder.resize(ScaledJpegDecoderTest.toRgb(ImageIO.read(p.toFile())), side, false));
                DecodedImage a = scaled.decode(p, side);
                DecodedImage b = imageIo.decode(p, side);
                assertThat(a.subsampling()).as("DCT-domain decode at 1/8").isEqualTo(8);
                assertThat(b.subsampling()).as("ImageIO's subsampled decode").isLessThan(8);
                viaDct.add(a.image());
                viaImageIo.add(b.image());
            }
            float[][] va = encoder.encode(viaDct);
            float[][] vb = encoder.encode(viaImageIo);
            float[][] vr = encoder.encode(reference);
            double newOld = meanCosine(va, vb);
            double newRef = meanCosine(va, vr);
            double oldRef = meanCosine(vb, vr);
            System.out.printf("MobileNetV2 at %d px, %d photos of 12 MP, mean cosine: DCT-domain vs ImageIO subsampled "
                    + "%.4f; vs full decode + area resize: DCT-domain %.4f, ImageIO subsampled %.4f%n", side,
                    va.length, newOld, newRef, oldRef);
            assertThat(newOld).isGreaterThanOrEqualTo(0.98);
            assertThat(newRef).as("at least as close to the full decode as the old path")
                    .isGreaterThanOrEqualTo(Math.min(0.99, oldRef));
        }
    }
}

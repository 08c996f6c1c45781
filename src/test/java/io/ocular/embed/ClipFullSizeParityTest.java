package io.ocular.embed;

import io.ocular.index.ImageDecoder;
import io.ocular.testing.SharedData;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CLIP preprocessing on full-size photos, the way the app indexes them (ImageDecoder at the encoder's
 * {@link ImageEncoder#preferredShortSide()}, then {@link ClipPreprocessor}), against Pillow decoding the
 * whole JPEG and resizing it itself (scripts/pil_clip_golden.py --crop, run at test time; skipped where
 * python3-pil is missing). Prints the per-pixel gap of three pipelines so the numbers can be quoted:
 * "at 224" (the old request: Java2D shrinks to 224, the bicubic has nothing left to do), "preferred"
 * (the app now: decoded to twice the crop size, the Pillow-exact bicubic does the last 2:1), and "full"
 * (no subsampling at all: what is left is the JPEG decoders' own difference).
 */
class ClipFullSizeParityTest {

    private static final Path SCRIPT = Path.of("scripts", "pil_clip_golden.py");
    private static final ImageDecoder DECODER = new ImageDecoder();

    @TempDir
    static Path tmp;

    @BeforeAll
    static void needsPillow() throws Exception {
        boolean ok;
        try {
            Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import PIL").redirectErrorStream(true).start();
            ok = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            ok = false;
        }
        Assumptions.assumeTrue(ok, "python3 with Pillow (Debian python3-pil) is needed for the golden crops");
    }

    /** A photo-like test picture: smooth light, fine texture and sharp edges (what aliasing shows on). */
    static BufferedImage photoLike(int w, int h, long seed) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        long s = seed;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                s = s * 6364136223846793005L + 1442695040888963407L;
                int noise = (int) ((s >>> 58) & 31) - 16;
                double fx = (double) x / w;
                double fy = (double) y / h;
                int r = (int) (120 + 90 * Math.sin(6 * fx + 2 * fy) + noise);
                int g = (int) (110 + 70 * Math.cos(9 * fy) + ((x / 3 + y / 3) % 2 == 0 ? 40 : -40) * (fx > 0.5 ? 1 : 0));
                int b = (int) (100 + (((x * 7) / w + (y * 5) / h) % 2 == 0 ? 80 : -60) + noise / 2);
                img.setRGB(x, y, (clamp(r) << 16) | (clamp(g) << 8) | clamp(b));
            }
        }
        return img;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    static Path jpeg(BufferedImage img, Path file) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(0.92f);
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(img, null, null), param);
        } finally {
            writer.dispose();
        }
        return file;
    }

    static byte[] pillowCrop(Path image) throws Exception {
        Path out = tmp.resolve(image.getFileName() + ".rgb");
        Process p = new ProcessBuilder("/usr/bin/python3", SCRIPT.toString(), "--crop", image.toString(), out.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(log).isZero();
        byte[] crop = Files.readAllBytes(out);
        assertThat(crop).hasSize(224 * 224 * 3);
        return crop;
    }

    /** Max and mean absolute difference per channel value, and the share of values within ±1. */
    record Gap(int max, double mean, double within1) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "max %d, mean %.3f, within ±1 %.2f%%", max, mean, 100 * within1);
        }
    }

    static Gap gap(float[] tensor, byte[] pillow) {
        int max = 0;
        long sum = 0;
        int ok = 0;
        for (int y = 0; y < 224; y++) {
            for (int x = 0; x < 224; x++) {
                for (int c = 0; c < 3; c++) {
                    float v = tensor[c * 224 * 224 + y * 224 + x] * ClipPreprocessor.STD[c] + ClipPreprocessor.MEAN[c];
                    int ours = Math.round(v * 255f);
                    int d = Math.abs(ours - (pillow[(y * 224 + x) * 3 + c] & 0xff));
                    max = Math.max(max, d);
                    sum += d;
                    ok += d <= 1 ? 1 : 0;
                }
            }
        }
        int n = 224 * 224 * 3;
        return new Gap(max, (double) sum / n, (double) ok / n);
    }

    private record Gaps(Gap at224, Gap preferred, Gap full) {
    }

    private static Gaps measure(String what, Path file) throws Exception {
        byte[] golden = pillowCrop(file);
        int preferred = ClipImageEncoder.PREFERRED_SHORT_SIDE;
        Gap at224 = gap(ClipPreprocessor.toTensor(DECODER.decode(file, ClipPreprocessor.SIZE).image()), golden);
        Gap pref = gap(ClipPreprocessor.toTensor(DECODER.decode(file, preferred).image()), golden);
        Gap full = gap(ClipPreprocessor.toTensor(DECODER.decode(file, 100_000).image()), golden);
        System.out.printf(Locale.ROOT, "CLIP preprocessing vs Pillow, %s:%n  at 224:    %s%n  preferred: %s (decode %d)%n"
                + "  full:      %s%n", what, at224, pref, preferred, full);
        return new Gaps(at224, pref, full);
    }

    @Test
    void fullSizePhotoOf3000x4000() throws Exception {
        Path file = jpeg(photoLike(3000, 4000, 7), tmp.resolve("big-3000x4000.jpg"));
        Gaps g = measure("3000x4000 JPEG", file);
        // the JPEG is decoded at 1/4 in the DCT domain (ScaledJpegDecoder: anti-aliased, so even the 224 request is
        // close); the Pillow-exact bicubic from 448 is then as close to Pillow as on the small photos above
        assertThat(g.preferred().mean()).isLessThan(Math.min(0.5, g.at224().mean() / 3));
        assertThat(g.preferred().within1()).isGreaterThan(0.95);
        // without subsampling, decoder and preprocessor are Pillow's to the rounding step
        assertThat(g.full().max()).isLessThanOrEqualTo(1);
    }

    @Test
    void photoOf640x480() throws Exception {
        Path file = jpeg(photoLike(640, 480, 11), tmp.resolve("small-640x480.jpg"));
        Gaps g = measure("640x480 JPEG", file);
        assertThat(g.preferred().mean()).isLessThan(0.5);
        assertThat(g.preferred().within1()).isGreaterThan(0.95);
        assertThat(g.at224().mean()).isGreaterThan(2.0);
        assertThat(g.full().max()).isLessThanOrEqualTo(1);
    }

    @Test
    void realPhotoOfTheSharedSets() throws Exception {
        Path uk = SharedData.dataset("ukbench56/images").resolve("ukbench00000.jpg");
        Gaps g = measure("ukbench00000.jpg (640x480 real photo)", uk);
        assertThat(g.preferred().mean()).isLessThan(0.5);
        assertThat(g.preferred().within1()).isGreaterThan(0.95);
        assertThat(g.full().max()).isLessThanOrEqualTo(1);
    }
}

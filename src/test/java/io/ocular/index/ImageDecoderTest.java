package io.ocular.index;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.awt.Color;
import java.awt.geom.AffineTransform;
import java.awt.image.AffineTransformOp;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ImageDecoderTest {

    @TempDir
    Path dir;

    private final ImageDecoder decoder = new ImageDecoder();

    @Test
    void decodesToRequestedShortSideAsRgb() throws Exception {
        Path f = TestImages.write(TestImages.quadrants(400, 200), "png", dir.resolve("q.png"));
        DecodedImage d = decoder.decode(f, 50);
        assertThat(d.image().getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
        assertThat(d.image().getHeight()).isEqualTo(50);
        assertThat(d.image().getWidth()).isEqualTo(100);
        assertThat(d.width()).isEqualTo(400);
        assertThat(d.height()).isEqualTo(200);
        assertThat(d.orientation()).isEqualTo(1);
        assertThat(d.takenAt()).isNull();
        assertThat(d.subsampling()).isEqualTo(2); // 200 / (2 * 50)
        assertThat(TestImages.mean(d.image(), 5, 5, 10, 10)).satisfies(c -> assertThat(c[0]).isGreaterThan(200));
    }

    @Test
    void smallImagesAreNotEnlarged() throws Exception {
        Path f = TestImages.write(TestImages.quadrants(20, 10), "png", dir.resolve("small.png"));
        DecodedImage d = decoder.decode(f, 224);
        assertThat(d.image().getWidth()).isEqualTo(20);
        assertThat(d.subsampling()).isEqualTo(1);
    }

    @Test
    void fitLongSideForThumbnails() throws Exception {
        Path f = TestImages.write(TestImages.quadrants(600, 300), "jpg", dir.resolve("t.jpg"));
        DecodedImage d = decoder.decodeToFit(f, 100);
        assertThat(d.image().getWidth()).isEqualTo(100);
        assertThat(d.image().getHeight()).isEqualTo(50);
    }

    @Test
    void transparentPngIsCompositedOnWhite() throws Exception {
        BufferedImage argb = new BufferedImage(10, 10, BufferedImage.TYPE_INT_ARGB); // fully transparent
        Path f = TestImages.write(argb, "png", dir.resolve("alpha.png"));
        DecodedImage d = decoder.decode(f, 10);
        assertThat(d.image().getRGB(5, 5) & 0xffffff).isEqualTo(0xffffff);
    }

    @Test
    void emptyFile() throws Exception {
        Path f = Files.createFile(dir.resolve("empty.jpg"));
        assertThatThrownBy(() -> decoder.decode(f, 32)).isInstanceOf(ImageDecodeException.class)
                .hasMessage("empty file");
    }

    @Test
    void textFileNamedJpg() throws Exception {
        Path f = Files.writeString(dir.resolve("notes.jpg"), "Shopping list: milk, eggs, café ☕\n");
        assertThatThrownBy(() -> decoder.decode(f, 32)).isInstanceOf(ImageDecodeException.class)
                .hasMessage("not an image (content is text)");
    }

    @Test
    void randomBytesNamedJpg() throws Exception {
        byte[] noise = new byte[4096];
        new Random(1).nextBytes(noise);
        noise[0] = 0x01; // make sure it does not start like any image
        Path f = Files.write(dir.resolve("noise.jpg"), noise);
        assertThatThrownBy(() -> decoder.decode(f, 32)).isInstanceOf(ImageDecodeException.class)
                .hasMessage("not an image (content is unknown)");
    }

    @Test
    void heicNamedJpgGoesToTheHeifCodecByContent() throws Exception {
        byte[] head = new byte[64];
        System.arraycopy(new byte[]{0, 0, 0, 24, 'f', 't', 'y', 'p', 'h', 'e', 'i', 'c'}, 0, head, 0, 12);
        Path f = Files.write(dir.resolve("IMG_0001.jpg"), head);
        ImageDecoder noHeif = new ImageDecoder(FileAccess.system(), ImageDecoder.DEFAULT_MAX_PIXELS,
                HeifCodec.unavailable("no HEIF here"));
        assertThatThrownBy(() -> noHeif.decode(f, 32)).hasMessage("no HEIF here");
    }

    @Test
    void videoIsNamedAsAVideo() throws Exception {
        byte[] head = new byte[64];
        System.arraycopy(new byte[]{0, 0, 0, 24, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'}, 0, head, 0, 12);
        Path f = Files.write(dir.resolve("clip.jpg"), head);
        assertThatThrownBy(() -> decoder.decode(f, 32)).hasMessage("not an image (a video)");
    }

    @Test
    void truncatedJpeg() throws Exception {
        byte[] full = TestImages.jpegBytes(TestImages.seeded(3, 300, 200));
        Path f = Files.write(dir.resolve("cut.jpg"), Arrays.copyOf(full, full.length / 2));
        assertThatThrownBy(() -> decoder.decode(f, 32)).isInstanceOf(ImageDecodeException.class)
                .hasMessageStartingWith("truncated or corrupt image");
    }

    @Test
    void jpegCutInsideItsHeader() throws Exception {
        byte[] full = TestImages.jpegBytes(TestImages.seeded(3, 300, 200));
        Path f = Files.write(dir.resolve("cut-header.jpg"), Arrays.copyOf(full, 30));
        assertThatThrownBy(() -> decoder.decode(f, 32)).isInstanceOf(ImageDecodeException.class)
                .hasMessageStartingWith("truncated or corrupt image");
    }

    @Test
    void truncatedPng() throws Exception {
        Path png = TestImages.write(TestImages.seeded(4, 300, 200), "png", dir.resolve("full.png"));
        byte[] full = Files.readAllBytes(png);
        Path f = Files.write(dir.resolve("cut.png"), Arrays.copyOf(full, full.length * 2 / 3));
        assertThatThrownBy(() -> decoder.decode(f, 32)).isInstanceOf(ImageDecodeException.class)
                .hasMessageStartingWith("truncated or corrupt image");
    }

    @Test
    void vanishedFile() {
        assertThatThrownBy(() -> decoder.decode(dir.resolve("gone.jpg"), 32)).hasMessage("file vanished");
    }

    @Test
    void unreadableFileViaInjectedFileSystem() throws Exception {
        Path f = TestImages.write(TestImages.quadrants(40, 40), "jpg", dir.resolve("secret.jpg"));
        ImageDecoder denying = new ImageDecoder(new FaultyFileAccess().deny(f), ImageDecoder.DEFAULT_MAX_PIXELS);
        assertThatThrownBy(() -> denying.decode(f, 32)).hasMessage("unreadable: permission denied");
    }

    @Test
    void unreadableFileOnRealFileSystem() throws Exception {
        Path f = TestImages.write(TestImages.quadrants(40, 40), "jpg", dir.resolve("secret.jpg"));
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("---------"));
        try {
            assumeFalse(Files.isReadable(f), "running as root: chmod 000 denies nothing (covered by injection)");
            assertThatThrownBy(() -> decoder.decode(f, 32)).hasMessage("unreadable: permission denied");
        } finally {
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        }
    }

    @Test
    void absurdHeaderIsRejectedBeforeDecoding() throws Exception {
        Path f = TestImages.pngHeaderOnly(dir.resolve("bomb.png"), 100_000, 100_000);
        assertThatThrownBy(() -> decoder.decode(f, 32)).isInstanceOf(ImageDecodeException.class)
                .hasMessage("image too large (100000 x 100000)");
    }

    @Test
    void hugeImageIsDecodedSubsampled() throws Exception {
        // 200 megapixels of real pixel data, ~25 MB raw, never held in memory by the writer or the decoder
        Path f = TestImages.streamedTwoColourPng(dir.resolve("huge.png"), 20_000, 10_000);
        DecodedImage d = decoder.decode(f, 32);
        assertThat(d.width()).isEqualTo(20_000);
        assertThat(d.height()).isEqualTo(10_000);
        assertThat(d.subsampling()).isEqualTo(10_000 / 64);
        BufferedImage img = d.image();
        assertThat(img.getHeight()).isEqualTo(32);
        assertThat(img.getWidth()).isEqualTo(64);
        assertThat(TestImages.mean(img, 0, 0, 64, 12)).containsExactly(255, 0, 0);
        assertThat(TestImages.mean(img, 0, 20, 64, 12)).containsExactly(0, 0, 255);
    }

    @Test
    @Tag("slow")
    void real200MegapixelJpeg() throws Exception {
        BufferedImage big = new BufferedImage(16_320, 12_240, BufferedImage.TYPE_BYTE_GRAY);
        Path f = TestImages.write(big, "jpg", dir.resolve("200mp.jpg"));
        big = null;
        DecodedImage d = decoder.decode(f, 224);
        assertThat(d.width()).isEqualTo(16_320);
        assertThat(d.subsampling()).isEqualTo(12_240 / 448);
        assertThat(d.image().getHeight()).isEqualTo(224);
    }

    @Test
    void nonAsciiPath() throws Exception {
        assumeTrue(TestImages.nonAsciiPathsSupported(), "file names need a UTF-8 locale");
        Path f = TestImages.write(TestImages.quadrants(64, 32), "jpg", dir.resolve("Фото").resolve("été 日本.jpg"));
        assertThat(decoder.decode(f, 16).image().getHeight()).isEqualTo(16);
    }

    @Test
    void exifOrientationSixIsRotatedClockwiseAndDateIsRead() throws Exception {
        // stored landscape 64x32; orientation 6 means the camera was turned: shown as 32x64 portrait
        Path f = TestImages.jpegWithExif(TestImages.quadrants(64, 32), 6, "2021:07:14 09:30:00", dir.resolve("o6.jpg"));
        DecodedImage d = decoder.decode(f, 64);
        assertThat(d.orientation()).isEqualTo(6);
        assertThat(d.width()).isEqualTo(32);
        assertThat(d.height()).isEqualTo(64);
        assertThat(d.takenAt()).isEqualTo(Instant.parse("2021-07-14T09:30:00Z"));
        BufferedImage img = d.image();
        // rotating clockwise puts the stored top-left (red) at the top-right, bottom-left (blue) at the top-left
        assertThat(dominant(TestImages.mean(img, 20, 4, 8, 8))).isEqualTo("red");
        assertThat(dominant(TestImages.mean(img, 4, 4, 8, 8))).isEqualTo("blue");
        assertThat(dominant(TestImages.mean(img, 20, 52, 8, 8))).isEqualTo("green");
    }

    @Test
    void exifOrientationEightIsRotatedCounterClockwise() throws Exception {
        Path f = TestImages.jpegWithExif(TestImages.quadrants(64, 32), 8, "2020:01:02 03:04:05", dir.resolve("o8.jpg"));
        DecodedImage d = decoder.decode(f, 64);
        assertThat(d.width()).isEqualTo(32);
        // counter-clockwise: stored top-right (green) goes to the top-left, top-left (red) to the bottom-left
        assertThat(dominant(TestImages.mean(d.image(), 4, 4, 8, 8))).isEqualTo("green");
        assertThat(dominant(TestImages.mean(d.image(), 4, 52, 8, 8))).isEqualTo("red");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void allOrientationsMatchTheStandardAffineTransforms(int orientation) {
        BufferedImage src = TestImages.seeded(orientation, 7, 5); // odd sizes catch off-by-one errors
        for (int i = 0; i < 35; i++) {
            src.setRGB(i % 7, i / 7, i * 0x030507);
        }
        BufferedImage expected = reference(src, orientation);
        BufferedImage actual = Orientation.apply(src, orientation);
        assertThat(actual.getWidth()).isEqualTo(expected.getWidth());
        assertThat(actual.getHeight()).isEqualTo(expected.getHeight());
        for (int y = 0; y < actual.getHeight(); y++) {
            for (int x = 0; x < actual.getWidth(); x++) {
                assertThat(actual.getRGB(x, y)).as("pixel %d,%d", x, y).isEqualTo(expected.getRGB(x, y));
            }
        }
    }

    @Test
    void exifOrientationTwoEndToEnd() throws Exception {
        Path f = TestImages.jpegWithExif(TestImages.quadrants(64, 32), 2, "2020:01:02 03:04:05", dir.resolve("o2.jpg"));
        DecodedImage d = decoder.decode(f, 32);
        assertThat(dominant(TestImages.mean(d.image(), 4, 4, 8, 8))).isEqualTo("green"); // mirrored
    }

    /** The textbook AffineTransform for each EXIF orientation, an implementation independent of Orientation. */
    private static BufferedImage reference(BufferedImage src, int o) {
        int w = src.getWidth();
        int h = src.getHeight();
        AffineTransform t = new AffineTransform();
        switch (o) {
            case 1 -> { }
            case 2 -> { t.scale(-1, 1); t.translate(-w, 0); }
            case 3 -> { t.translate(w, h); t.rotate(Math.PI); }
            case 4 -> { t.scale(1, -1); t.translate(0, -h); }
            case 5 -> { t.rotate(-Math.PI / 2); t.scale(-1, 1); }
            case 6 -> { t.translate(h, 0); t.rotate(Math.PI / 2); }
            case 7 -> { t.scale(-1, 1); t.translate(-h, 0); t.translate(0, w); t.rotate(3 * Math.PI / 2); }
            case 8 -> { t.translate(0, w); t.rotate(3 * Math.PI / 2); }
            default -> throw new IllegalArgumentException();
        }
        boolean swap = o >= 5;
        BufferedImage dst = new BufferedImage(swap ? h : w, swap ? w : h, BufferedImage.TYPE_INT_RGB);
        new AffineTransformOp(t, AffineTransformOp.TYPE_NEAREST_NEIGHBOR).filter(src, dst);
        return dst;
    }

    private static String dominant(int[] c) {
        if (c[0] > 180 && c[1] > 180 && c[2] > 180) {
            return "white";
        }
        if (c[0] > 150 && c[1] < 100 && c[2] < 100) {
            return "red";
        }
        if (c[1] > 150 && c[0] < 100 && c[2] < 100) {
            return "green";
        }
        if (c[2] > 150 && c[0] < 100 && c[1] < 100) {
            return "blue";
        }
        return Arrays.toString(c);
    }

    @Test
    void textDetectionToleratesCutMultibyteCharacter() {
        byte[] text = "日本語".repeat(200).getBytes(StandardCharsets.UTF_8);
        assertThat(ImageDecoder.notAnImageReason(Arrays.copyOf(text, 512))).isEqualTo("not an image (content is text)");
    }

    @Test
    void solidColourSurvivesResize() throws Exception {
        Path f = TestImages.write(TestImages.solid(1000, 800, new Color(10, 200, 30)), "png", dir.resolve("s.png"));
        DecodedImage d = decoder.decode(f, 40);
        assertThat(TestImages.mean(d.image(), 0, 0, d.image().getWidth(), d.image().getHeight()))
                .containsExactly(10, 200, 30);
    }
}

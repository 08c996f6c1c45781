package io.ocular.index;

import io.ocular.index.JpegVariants.Layout;
import io.ocular.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link ScaledJpegDecoder} against its reference: the full ImageIO decode, area-averaged to the same reduced
 * size. JPEGs are made at test time from a shared holiday photo blown up to 3 MP (the 12 MP check is
 * {@code ScaledJpegTwelveMegapixelTest}, tagged slow), in every layout the decoder handles, at each scale.
 */
class ScaledJpegDecoderTest {
    /** Mean absolute difference per channel (0-255) allowed against the area-averaged full decode. */
    static final double MAX_MAE = 2.0;

    static BufferedImage photo(int w, int h) throws IOException {
        Path p = SharedData.dataset("holidays-dev/images").resolve("100000.jpg");
        return JpegVariants.scaled(ImageIO.read(p.toFile()), w, h);
    }

    @ParameterizedTest
    @EnumSource(value = Layout.class, names = {"S420", "S422", "S444", "GREY"})
    void matchesTheAreaAveragedFullDecodeAtEveryScale(Layout layout) throws IOException {
        BufferedImage img = photo(2016, 1512);
        for (int restart : new int[]{0, 7}) {
            byte[] jpeg = JpegVariants.write(img, layout, 0.9f, restart);
            assertLayout(jpeg, layout, restart);
            for (int d : ScaledJpegDecoder.DENOMINATORS) {
                double mae = mae(jpeg, d);
                System.out.printf("%s restart %d 1/%d: MAE %.3f%n", layout, restart, d, mae);
                assertThat(mae).as("%s restart %d at 1/%d", layout, restart, d).isLessThan(MAX_MAE);
            }
        }
    }

    @Test
    void oddSizesKeepTheirEdges() throws IOException {
        BufferedImage img = photo(1001, 667);
        for (Layout layout : new Layout[]{Layout.S420, Layout.S422, Layout.GREY}) {
            byte[] jpeg = JpegVariants.write(img, layout, 0.9f, 3);
            for (int d : ScaledJpegDecoder.DENOMINATORS) {
                BufferedImage out = ScaledJpegDecoder.decode(jpeg, jpeg.length, d, 1001, 667);
                assertThat(out.getWidth()).isEqualTo((1001 + d - 1) / d);
                assertThat(out.getHeight()).isEqualTo((667 + d - 1) / d);
                assertThat(mae(jpeg, d)).as("%s at 1/%d", layout, d).isLessThan(MAX_MAE);
            }
        }
    }

    @Test
    void whatItDoesNotHandleIsLeftToImageIo() throws IOException {
        BufferedImage img = TestImages.seeded(3, 320, 240);
        byte[] progressive = JpegVariants.write(img, Layout.PROGRESSIVE, 0.9f, 0);
        assertThat(ScaledJpegDecoder.decode(progressive, progressive.length, 8, 320, 240)).isNull();

        byte[] jpeg = JpegVariants.write(img, Layout.S420, 0.9f, 4);
        assertThat(ScaledJpegDecoder.decode(jpeg, jpeg.length, 8, 320, 240)).isNotNull();
        assertThat(ScaledJpegDecoder.decode(jpeg, jpeg.length, 8, 321, 240)).as("another size").isNull();
        assertThat(ScaledJpegDecoder.decode(jpeg, jpeg.length / 2, 8, 320, 240)).as("truncated").isNull();
        assertThat(ScaledJpegDecoder.decode(jpeg, jpeg.length - 2, 8, 320, 240)).as("no EOI").isNull();
        byte[] wrongRestart = jpeg.clone();
        int rst = indexOf(wrongRestart, (byte) 0xD1);
        wrongRestart[rst] = (byte) 0xD3;
        assertThat(ScaledJpegDecoder.decode(wrongRestart, wrongRestart.length, 8, 320, 240)).as("RST out of order")
                .isNull();
    }

    @Test
    void scaleIsChosenSoTheImageStaysAtLeastTheTarget() {
        assertThat(ScaledJpegDecoder.denominator(4032, 3024, 224, false)).isEqualTo(8);    // 504 x 378
        assertThat(ScaledJpegDecoder.denominator(4032, 3024, 400, false)).isEqualTo(4);    // 1008 x 756
        assertThat(ScaledJpegDecoder.denominator(4032, 3024, 504, true)).isEqualTo(8);
        assertThat(ScaledJpegDecoder.denominator(4032, 3024, 505, true)).isEqualTo(4);
        assertThat(ScaledJpegDecoder.denominator(640, 480, 300, false)).isEqualTo(1);
    }

    @Test
    void imageDecoderUsesItForBigJpegsAndKeepsOrientation(@TempDir Path dir) throws IOException {
        BufferedImage quadrants = TestImages.quadrants(1600, 1200);
        Path plain = dir.resolve("plain.jpg");
        Files.write(plain, JpegVariants.write(quadrants, Layout.S420, 0.9f, 0));
        DecodedImage d = new ImageDecoder().decode(plain, 150);
        assertThat(d.subsampling()).as("decoded at 1/8 in the DCT domain").isEqualTo(8);
        assertThat(d.image().getHeight()).isEqualTo(150);
        assertThat(d.image().getWidth()).isEqualTo(200);

        Path turned = TestImages.jpegWithExif(quadrants, 6, "2021:07:04 18:30:00", dir.resolve("turned.jpg"));
        DecodedImage t = new ImageDecoder().decode(turned, 150);
        DecodedImage ref = new ImageDecoder(FileAccess.system(), ImageDecoder.DEFAULT_MAX_PIXELS, HeifCodec.system(),
                false).decode(turned, 150);
        assertThat(t.subsampling()).isEqualTo(8);
        assertThat(t.orientation()).isEqualTo(6);
        assertThat(t.width()).isEqualTo(1200);
        assertThat(t.height()).isEqualTo(1600);
        assertThat(t.image().getWidth()).isEqualTo(ref.image().getWidth());
        assertThat(t.image().getHeight()).isEqualTo(ref.image().getHeight());
        assertThat(meanAbsDiff(t.image(), ref.image())).isLessThan(3.0);
    }

    @Test
    void aTruncatedBigJpegGetsTheUsualMessage(@TempDir Path dir) throws IOException {
        byte[] jpeg = JpegVariants.write(photo(1600, 1200), Layout.S420, 0.9f, 0);
        Path cut = dir.resolve("cut.jpg");
        Files.write(cut, Arrays.copyOf(jpeg, jpeg.length / 2));
        assertThatThrownBy(() -> new ImageDecoder().decode(cut, 150))
                .isInstanceOf(ImageDecodeException.class)
                .hasMessage("truncated or corrupt image");
    }

    /** The written JPEG really has the layout asked for (the writer's metadata took effect). */
    static void assertLayout(byte[] jpeg, Layout layout, int restart) {
        JpegHeader h = JpegHeader.parse(jpeg, jpeg.length);
        assertThat(h.restartInterval).isEqualTo(restart);
        assertThat(h.components).hasSize(layout == Layout.GREY ? 1 : 3);
        int hy = layout == Layout.S420 || layout == Layout.S422 ? 2 : 1;
        int vy = layout == Layout.S420 ? 2 : 1;
        assertThat(h.components[0].h).isEqualTo(hy);
        assertThat(h.components[0].v).isEqualTo(vy);
    }

    /** MAE of the scaled decode against ImageIO's full decode area-averaged to the same size. */
    static double mae(byte[] jpeg, int d) throws IOException {
        BufferedImage full = toRgb(ImageIO.read(new ByteArrayInputStream(jpeg)));
        BufferedImage scaled = ScaledJpegDecoder.decode(jpeg, jpeg.length, d, full.getWidth(), full.getHeight());
        assertThat(scaled).as("decoded at 1/%d", d).isNotNull();
        return meanAbsDiff(scaled, boxAverage(full, d));
    }

    static BufferedImage toRgb(BufferedImage src) {
        BufferedImage rgb = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        g.drawImage(src, 0, 0, null);
        g.dispose();
        return rgb;
    }

    /** Each output pixel the mean of its d x d source block (partial blocks at the right and bottom edges). */
    static BufferedImage boxAverage(BufferedImage src, int d) {
        int w = src.getWidth();
        int h = src.getHeight();
        int ow = (w + d - 1) / d;
        int oh = (h + d - 1) / d;
        int[] px = src.getRGB(0, 0, w, h, null, 0, w);
        BufferedImage out = new BufferedImage(ow, oh, BufferedImage.TYPE_INT_RGB);
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                long r = 0;
                long g = 0;
                long b = 0;
                int n = 0;
                for (int y = oy * d; y < Math.min(h, oy * d + d); y++) {
                    for (int x = ox * d; x < Math.min(w, ox * d + d); x++) {
                        int p = px[y * w + x];
                        r += (p >> 16) & 0xFF;
                        g += (p >> 8) & 0xFF;
                        b += p & 0xFF;
                        n++;
                    }
                }
                out.setRGB(ox, oy, (int) ((r + n / 2) / n) << 16 | (int) ((g + n / 2) / n) << 8 | (int) ((b + n / 2) / n));
            }
        }
        return out;
    }

    static double meanAbsDiff(BufferedImage a, BufferedImage b) {
        assertThat(a.getWidth()).isEqualTo(b.getWidth());
        assertThat(a.getHeight()).isEqualTo(b.getHeight());
        long sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int s = 0; s < 24; s += 8) {
                    sum += Math.abs(((p >> s) & 0xFF) - ((q >> s) & 0xFF));
                }
            }
        }
        return sum / (3.0 * a.getWidth() * a.getHeight());
    }

    private static int indexOf(byte[] data, byte marker) {
        for (int i = 1; i < data.length; i++) {
            if (data[i - 1] == (byte) 0xFF && data[i] == marker) {
                return i;
            }
        }
        throw new AssertionError("marker not found");
    }
}

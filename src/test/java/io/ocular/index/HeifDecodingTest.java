package io.ocular.index;

import io.ocular.testing.MediaTools;
import io.ocular.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** HEIC/AVIF made with heif-enc from the shared photos, decoded through libheif. */
class HeifDecodingTest {
    @TempDir
    Path dir;

    private final ImageDecoder decoder = new ImageDecoder();

    private static Path photo(String name) {
        return SharedData.dataset("holidays-dev").resolve("images").resolve(name);
    }

    private void requireLibheif() {
        assumeTrue(decoder.heifSupport().startsWith("libheif"), "libheif not installed: " + decoder.heifSupport());
    }

    @Test
    void heicAndAvifDecodeLikeTheJpegTheyWereMadeFrom() throws Exception {
        requireLibheif();
        Path jpeg = photo("100000.jpg");
        Path heic = MediaTools.heifEnc(jpeg, dir.resolve("a.heic"));
        Path avif = MediaTools.heifEnc(jpeg, dir.resolve("a.avif"));
        DecodedImage ref = decoder.decode(jpeg, 100);
        for (Path f : new Path[]{heic, avif}) {
            DecodedImage d = decoder.decode(f, 100);
            assertThat(d.width()).as(f.toString()).isEqualTo(ref.width());
            assertThat(d.height()).isEqualTo(ref.height());
            assertThat(d.image().getWidth()).isEqualTo(ref.image().getWidth());
            assertThat(d.image().getHeight()).isEqualTo(ref.image().getHeight());
            assertThat(d.subsampling()).isGreaterThan(1);
            assertThat(meanAbsDiff(d.image(), ref.image())).as(f.toString()).isLessThan(12.0);
        }
    }

    @Test
    void exifOrientationInHeifIsNotAppliedOnTopOfTheContainerAndDateIsRead() throws Exception {
        requireLibheif();
        // heif-enc (1.15) stores the JPEG's pixels as they are, without irot, and copies its EXIF (orientation 6)
        BufferedImage quads = TestImages.quadrants(320, 160);
        Path jpeg = TestImages.jpegWithExif(quads, 6, "2021:07:04 10:11:12", dir.resolve("rot6.jpg"));
        Path heic = MediaTools.heifEnc(jpeg, dir.resolve("rot6.heic"));
        DecodedImage d = decoder.decode(heic, 80);
        assertThat(d.takenAt()).isEqualTo(Instant.parse("2021-07-04T10:11:12Z"));
        // the container has no rotation, so the picture is what a HEIF viewer shows: the stored pixels
        assertThat(d.width()).isEqualTo(320);
        assertThat(d.orientation()).isEqualTo(1);
        assertThat(TestImages.mean(d.image(), 5, 5, 10, 10)[0]).isGreaterThan(200); // red stays top-left
    }

    @Test
    void irotInTheContainerIsAppliedByLibheifOnce() throws Exception {
        requireLibheif();
        Path plain = MediaTools.heifEnc(TestImages.write(TestImages.quadrants(320, 160), "png", dir.resolve("q.png")),
                dir.resolve("q.heic"));
        Path rotated = Files.write(dir.resolve("q-irot.heic"), HeifBoxes.withIrot(Files.readAllBytes(plain), 3));
        DecodedImage d = decoder.decode(rotated, 80);
        // irot 3 = 270 degrees anti-clockwise = 90 clockwise: portrait, red (top-left) moves to the top-right
        assertThat(d.width()).isEqualTo(160);
        assertThat(d.height()).isEqualTo(320);
        int w = d.image().getWidth();
        assertThat(TestImages.mean(d.image(), w - 12, 2, 10, 10)[0]).isGreaterThan(200);
        assertThat(TestImages.mean(d.image(), 2, 2, 10, 10)[2]).isGreaterThan(200); // blue: top-left
    }

    @Test
    void embeddedThumbnailIsUsedForSmallTargets() throws Exception {
        requireLibheif();
        Path jpeg = photo("100001.jpg");
        Path heic = MediaTools.heifEnc(jpeg, dir.resolve("t.heic"), "-t", "200");
        DecodedImage ref = decoder.decodeToFit(jpeg, 64);
        DecodedImage d = decoder.decodeToFit(heic, 64);
        assertThat(d.image().getWidth()).isEqualTo(ref.image().getWidth());
        // the JPEG reference is decoded at 1/8 in the DCT domain (ScaledJpegDecoder); the HEIC's 150 x 200
        // thumbnail covers the target and was read (~1/3 of full)
        assertThat(ref.subsampling()).isEqualTo(8);
        assertThat(d.subsampling()).isEqualTo(3);
        assertThat(meanAbsDiff(d.image(), ref.image())).isLessThan(14.0);
        // short side 100: the reduced image would be 200 x 267, the 150 x 200 thumbnail covers the target itself
        DecodedImage mid = decoder.decode(heic, 100);
        assertThat(mid.subsampling()).isEqualTo(3);
        assertThat(mid.image().getWidth()).isEqualTo(100);
        assertThat(meanAbsDiff(mid.image(), decoder.decode(jpeg, 100).image())).isLessThan(14.0);
        DecodedImage full = decoder.decode(heic, 300);
        assertThat(full.image().getWidth()).isEqualTo(decoder.decode(jpeg, 300).image().getWidth());
    }

    @Test
    void truncatedHeicIsSkippedWithAReason() throws Exception {
        requireLibheif();
        Path heic = MediaTools.heifEnc(photo("100000.jpg"), dir.resolve("full.heic"));
        byte[] all = Files.readAllBytes(heic);
        for (int keep : new int[]{all.length / 2, 600, 40}) {
            Path cut = Files.write(dir.resolve("cut" + keep + ".heic"), java.util.Arrays.copyOf(all, keep));
            assertThatThrownBy(() -> decoder.decode(cut, 100))
                    .as("kept %d bytes", keep)
                    .isInstanceOf(ImageDecodeException.class)
                    .hasMessageContaining("truncated or corrupt image");
        }
    }

    @Test
    void heicWithAnUnknownCodecIsSkippedAsUnsupported() throws Exception {
        requireLibheif();
        for (String photo : new String[]{"100000.jpg", "100002.jpg"}) { // a grid of tiles, a single image
            Path heic = MediaTools.heifEnc(photo(photo), dir.resolve(photo + ".heic"));
            assertFakeCodecSkipped(Files.readAllBytes(heic));
        }
    }

    private void assertFakeCodecSkipped(byte[] b) throws Exception {
        // the image item's coding type 'hvc1' (in infe and in the hvcC-carrying sample description) becomes 'zzz1'
        int replaced = replaceAll(b, "hvc1", "zzz1");
        assertThat(replaced).isPositive();
        Path fake = Files.write(dir.resolve("fake-codec.heic"), b);
        assertThatThrownBy(() -> decoder.decode(fake, 100))
                .isInstanceOf(ImageDecodeException.class)
                .hasMessageContaining("unsupported HEIF/AVIF content: a codec this libheif cannot decode");
    }

    @Test
    void withoutLibheifEveryHeifIsSkippedWithWhatToInstall() throws Exception {
        Path fakeHeic = Files.write(dir.resolve("a.heic"),
                new byte[]{0, 0, 0, 24, 'f', 't', 'y', 'p', 'h', 'e', 'i', 'c', 0, 0, 0, 0, 'm', 'i', 'f', '1', 'h', 'e', 'i', 'c'});
        ImageDecoder none = new ImageDecoder(FileAccess.system(), ImageDecoder.DEFAULT_MAX_PIXELS,
                HeifCodec.unavailable(HeifCodec.missingReason("Linux")));
        assertThatThrownBy(() -> none.decode(fakeHeic, 100))
                .isInstanceOf(ImageDecodeException.class)
                .hasMessageContaining("install the package libheif1");
        assertThat(HeifCodec.missingReason("Windows 11")).contains("heif.dll");
        assertThat(HeifCodec.missingReason("Mac OS X")).contains("brew install libheif");
    }

    static int replaceAll(byte[] b, String from, String to) {
        byte[] f = from.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] t = to.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int n = 0;
        outer:
        for (int i = 0; i + f.length <= b.length; i++) {
            for (int j = 0; j < f.length; j++) {
                if (b[i + j] != f[j]) {
                    continue outer;
                }
            }
            System.arraycopy(t, 0, b, i, t.length);
            n++;
        }
        return n;
    }

    static double meanAbsDiff(BufferedImage a, BufferedImage b) {
        int w = Math.min(a.getWidth(), b.getWidth());
        int h = Math.min(a.getHeight(), b.getHeight());
        long sum = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                sum += Math.abs(((p >> 16) & 0xff) - ((q >> 16) & 0xff)) + Math.abs(((p >> 8) & 0xff) - ((q >> 8) & 0xff))
                        + Math.abs((p & 0xff) - (q & 0xff));
            }
        }
        return sum / (3.0 * w * h);
    }
}

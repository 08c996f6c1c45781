package io.ocular.index;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Tag;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes image decoding with EXIF/metadata reading (JPEG, PNG, TIFF, WebP, BMP, GIF, HEIC/AVIF refusal):
 * any input either decodes to a sane image or fails with {@link ImageDecodeException} and a reason the user
 * can read; never another exception, an out-of-memory or a hang. Seeds and regression inputs:
 * {@code src/test/resources/io/ocular/index/ImageDecoderFuzzTestInputs/}. The pixel bound is lowered to
 * 65,536 pixels (256 x 256; the seeds are 12 x 8) so that one execution stays well under a millisecond: with
 * 4 MP a 68-byte WebP whose VP8 header claims 2000 x 2000 made TwelveMonkeys build 15,000 macroblocks
 * (~180 ms) and such inputs set the pace of the whole campaign. Header bounds and subsampling are the same
 * code at any bound; the production bound is checked by ImageDecoderTest.
 */
@Tag("fuzz")
class ImageDecoderFuzzTest {
    private static final Path FILE = Path.of("fuzz-input");
    private static final BytesFileAccess FILES = new BytesFileAccess();
    private static final ImageDecoder DECODER = new ImageDecoder(FILES, 1L << 16);

    @FuzzTest(maxDuration = "2m")
    void decode(byte[] data) {
        FILES.set(data);
        DecodedImage img;
        try {
            img = DECODER.decode(FILE, 48);
        } catch (ImageDecodeException e) {
            assertThat(e.reason()).isNotBlank();
            return;
        }
        assertThat(img.image().getWidth()).isPositive();
        assertThat(img.image().getHeight()).isPositive();
        assertThat(Math.min(img.image().getWidth(), img.image().getHeight())).isLessThanOrEqualTo(48);
        assertThat(img.orientation()).isBetween(1, 8);
    }
}

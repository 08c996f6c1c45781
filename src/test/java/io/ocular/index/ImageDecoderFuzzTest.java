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
 * 4,096 pixels (64 x 64; the seeds are 12 x 8) and the target size to 8 pixels, so that one execution stays
 * around a millisecond under Jazzer's instrumentation and subsampling is still reached (from 32 pixels on): with
 * 4 MP a 68-byte WebP whose VP8 header claims 2000 x 2000 made TwelveMonkeys build 15,000 macroblocks
 * (~180 ms), and at 65,536 pixels the fuzzer still spent nearly all of its time in instrumented VP8 decoding
 * of 256 x 256 frames (about 100 executions per second on the shared machine). Header bounds and subsampling
 * are the same code at any bound; the production bound is checked by ImageDecoderTest and HostileHeaderTest.
 */
@Tag("fuzz")
class ImageDecoderFuzzTest {
    private static final int TARGET = 8;
    private static final Path FILE = Path.of("fuzz-input");
    private static final BytesFileAccess FILES = new BytesFileAccess();
    private static final ImageDecoder DECODER = new ImageDecoder(FILES, 1L << 12);

    @FuzzTest(maxDuration = "2m")
    void decode(byte[] data) {
        FILES.set(data);
        DecodedImage img;
        try {
            img = DECODER.decode(FILE, TARGET);
        } catch (ImageDecodeException e) {
            assertThat(e.reason()).isNotBlank();
            return;
        }
        assertThat(img.image().getWidth()).isPositive();
        assertThat(img.image().getHeight()).isPositive();
        assertThat(Math.min(img.image().getWidth(), img.image().getHeight())).isLessThanOrEqualTo(TARGET);
        assertThat(img.orientation()).isBetween(1, 8);
    }
}

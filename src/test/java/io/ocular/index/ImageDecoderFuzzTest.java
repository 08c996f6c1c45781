package io.ocular.index;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Tag;

import java.awt.image.BufferedImage;
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

    /**
     * The DCT-domain decoder alone ({@link ScaledJpegDecoder}, which {@link #decode} reaches for JPEGs of 32 pixels
     * and more): any input either decodes at each scale to the size the header states divided by the scale, or is
     * refused ({@link ScaledJpegDecoder.Unsupported}: the caller falls back to ImageIO); never another exception.
     * In {@link #decode} such an exception would be logged and hidden by that fallback, so it is fuzzed here
     * directly. Seeds: 64 x 48 JPEGs in every layout the decoder handles ({@code FuzzSeeds}).
     */
    @FuzzTest(maxDuration = "2m")
    void scaledJpeg(byte[] data) {
        JpegHeader header;
        try {
            header = JpegHeader.parse(data, data.length);
        } catch (ScaledJpegDecoder.Unsupported e) {
            return;
        }
        if ((long) header.width * header.height > 1L << 12) {
            return; // ImageDecoder checks the pixel bound before this decoder runs
        }
        for (int d : ScaledJpegDecoder.DENOMINATORS) {
            try {
                BufferedImage img = ScaledJpegDecoder.decodeOrThrow(data, data.length, d, header.width, header.height);
                assertThat(img.getWidth()).isEqualTo((header.width + d - 1) / d);
                assertThat(img.getHeight()).isEqualTo((header.height + d - 1) / d);
            } catch (ScaledJpegDecoder.Unsupported e) {
                // refused: ImageIO decodes it instead
            }
        }
    }
}

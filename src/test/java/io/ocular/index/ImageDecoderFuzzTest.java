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
 * 4 MP so that one execution stays in the milliseconds (the production bound is checked by ImageDecoderTest).
 */
@Tag("fuzz")
class ImageDecoderFuzzTest {
    private static final Path FILE = Path.of("fuzz-input");
    private static final BytesFileAccess FILES = new BytesFileAccess();
    private static final ImageDecoder DECODER = new ImageDecoder(FILES, 4_000_000L);

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

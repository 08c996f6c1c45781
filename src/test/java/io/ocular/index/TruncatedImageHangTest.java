package io.ocular.index;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Fuzzing finding (hang): a truncated lossless WebP (1600 x 1600 declared, 10 KB present) kept TwelveMonkeys'
 * bit reader decoding past the end of the file, one EOFException per read, for minutes. The stream now gives up
 * after {@link ChannelImageInputStream#MAX_READS_AT_END} reads at the end; the file is skipped as truncated.
 */
class TruncatedImageHangTest {
    @TempDir
    Path tmp;

    @Test
    void truncatedLosslessWebpFailsFastInsteadOfSpinning() throws Exception {
        Path f = tmp.resolve("cut.webp");
        try (InputStream in = getClass().getResourceAsStream(
                "ImageDecoderFuzzTestInputs/decode/regression-webp-lossless-truncated-hang")) {
            Files.write(f, in.readAllBytes());
        }
        assertTimeoutPreemptively(Duration.ofSeconds(20), () ->
                assertThatThrownBy(() -> new ImageDecoder().decode(f, 224))
                        .isInstanceOf(ImageDecodeException.class).hasMessageContaining("truncated"));
    }
}

package io.ocular.index;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tiny files whose headers claim huge sizes (inputs found while fuzzing the decoder): refused or read without
 * allocating what the header claims, with the production pixel bound.
 */
class HostileHeaderTest {
    private static final String INPUTS = "/io/ocular/index/ImageDecoderFuzzTestInputs/decode/";
    private final BytesFileAccess files = new BytesFileAccess();
    private final ImageDecoder decoder = new ImageDecoder(files, ImageDecoder.DEFAULT_MAX_PIXELS);

    @Test
    void aWebPClaiming16383Squared_isRefusedWithItsSizeNotDecoded() throws IOException {
        // 106 bytes; TwelveMonkeys' VP8 decoder ignores subsampling and held 3.3 GB building its macroblocks
        files.set(input("regression-webp-16383-square-header"));
        assertThatThrownBy(() -> decoder.decode(Path.of("big.webp"), 48)).isInstanceOf(ImageDecodeException.class)
                .hasMessageContaining("WebP image too large (16383 x 16383; Ocular reads WebP up to 16 megapixels)");
    }

    @Test
    void theSmallWebPSeedStillDecodes() throws IOException {
        files.set(input("seed-webp-lossy"));
        DecodedImage d = decoder.decode(Path.of("small.webp"), 48);
        assertThat(d.width()).isEqualTo(12);
        assertThat(d.height()).isEqualTo(8);
    }

    @Test
    void pngChunksMustFitInTheFile() throws IOException {
        byte[] png = input("seed-png");
        assertThat(ChunkBounds.pngFits(new BytesFileAccess.Channel(png), png.length)).isTrue();
        byte[] bad = png.clone();
        ByteBuffer.wrap(bad).putInt(8, 0x7fff_ffff); // IHDR claims 2 GB
        assertThat(ChunkBounds.pngFits(new BytesFileAccess.Channel(bad), bad.length)).isFalse();
    }

    @Test
    void riffChunksMustFitInTheFile_listsIncluded() throws IOException {
        byte[] webp = input("seed-webp-lossy");
        assertThat(ChunkBounds.riffFits(new BytesFileAccess.Channel(webp), webp.length)).isTrue();
        byte[] found = input("regression-webp-chunk-claims-1.6GB");
        assertThat(ChunkBounds.riffFits(new BytesFileAccess.Channel(found), found.length)).isFalse();
        ByteBuffer list = ByteBuffer.allocate(12 + 8 + 4 + 8 + 4).order(ByteOrder.LITTLE_ENDIAN);
        list.put("RIFF".getBytes()).putInt(list.capacity() - 8).put("WEBP".getBytes());
        list.put("LIST".getBytes()).putInt(4 + 8 + 4).put("INFO".getBytes());
        list.put("ISFT".getBytes()).putInt(1_000_000).putInt(0); // inside the list: claims a megabyte
        assertThat(ChunkBounds.riffFits(new BytesFileAccess.Channel(list.array()), list.capacity())).isFalse();
    }

    @Test
    void foundInputsFailWithAReason() throws IOException {
        for (String name : new String[]{"regression-ico-header-65535-entries", "regression-webp-chunk-claims-1.6GB",
                "regression-vp8-frame-4MP-in-68-bytes", "regression-webp-lossless-reads-past-end"}) {
            files.set(input(name));
            assertThatThrownBy(() -> decoder.decode(Path.of(name), 48)).as(name)
                    .isInstanceOf(ImageDecodeException.class)
                    .satisfies(e -> assertThat(((ImageDecodeException) e).reason()).as(name)
                            .isIn("not an image (content is unknown)", "truncated or corrupt image"));
        }
    }

    private static byte[] input(String name) throws IOException {
        try (InputStream in = HostileHeaderTest.class.getResourceAsStream(INPUTS + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }
}

package io.ocular.search.local;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

class LocalFeatureCodecTest {

    @Test
    void roundTripKeepsPositionsScalesAndDescriptors() {
        LocalFeatures f = Fixtures.random(500, 40, 1024, 768, 5);
        for (int i = 0; i < f.count(); i++) {
            f.scale()[i] = (float) Math.pow(2, (i % 5) - 2) * 0.7f;
        }
        byte[] blob = LocalFeatureCodec.encode(f, 1234);
        assertThat(blob).hasSize(LocalFeatureCodec.encodedSize(500, 40)).hasSize(23 + 500 * 45);
        LocalFeatures g = LocalFeatureCodec.decode(blob, 1234);
        assertThat(g.count()).isEqualTo(500);
        assertThat(g.width()).isEqualTo(1024);
        assertThat(g.height()).isEqualTo(768);
        for (int i = 0; i < 500; i++) {
            assertThat(g.x()[i]).isCloseTo(f.x()[i], offset(0.02f));
            assertThat(g.y()[i]).isCloseTo(f.y()[i], offset(0.02f));
            assertThat(g.scale()[i] / f.scale()[i]).isCloseTo(1f, offset(0.025f));
            float dot = 0;
            for (int k = 0; k < 40; k++) {
                dot += f.descriptors()[i * 40 + k] * g.descriptors()[i * 40 + k];
            }
            assertThat(dot).isGreaterThan(0.999f);
        }
        assertThat(LocalFeatureCodec.decode(LocalFeatureCodec.encode(LocalFeatures.empty(5, 5, 40), 1), 1).count())
                .isZero();
    }

    @Test
    void detectsCorruptTruncatedForeignAndStaleBlobs() {
        byte[] blob = LocalFeatureCodec.encode(Fixtures.random(50, 40, 100, 100, 1), 7);
        byte[] flipped = blob.clone();
        flipped[100] ^= 0x10;
        assertThatThrownBy(() -> LocalFeatureCodec.decode(flipped, 7))
                .isInstanceOf(LocalFeatureCodec.CorruptBlobException.class).hasMessageContaining("checksum");
        assertThatThrownBy(() -> LocalFeatureCodec.decode(Arrays.copyOf(blob, blob.length - 9), 7))
                .isInstanceOf(LocalFeatureCodec.CorruptBlobException.class);
        assertThatThrownBy(() -> LocalFeatureCodec.decode(new byte[]{1, 2, 3}, 7))
                .isInstanceOf(LocalFeatureCodec.CorruptBlobException.class);
        assertThatThrownBy(() -> LocalFeatureCodec.decode(null, 7))
                .isInstanceOf(LocalFeatureCodec.CorruptBlobException.class);
        byte[] future = blob.clone();
        future[3] = 9;
        assertThatThrownBy(() -> LocalFeatureCodec.decode(future, 7)).hasMessageContaining("version");
        assertThatThrownBy(() -> LocalFeatureCodec.decode(blob, 8)).hasMessageContaining("stale");
    }
}

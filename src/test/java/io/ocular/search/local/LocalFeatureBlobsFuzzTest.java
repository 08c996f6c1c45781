package io.ocular.search.local;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Tag;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the local-feature blobs stored in the catalog (one per image) and the persisted local-feature
 * model (PCA projection and attention MLP, stored base64 in settings). A blob either decodes to consistent
 * features or fails with {@link LocalFeatureCodec.CorruptBlobException}; a stored model is read or ignored
 * (to be fitted again), never an exception. Half of the blobs get a valid CRC from the harness so that the
 * fuzzer reaches the field checks behind it.
 */
@Tag("fuzz")
class LocalFeatureBlobsFuzzTest {

    @FuzzTest(maxDuration = "2m")
    void featureBlob(FuzzedDataProvider in) {
        boolean fixCrc = in.consumeBoolean();
        int projection = in.consumeInt();
        byte[] blob = in.consumeRemainingAsBytes();
        if (fixCrc && blob.length >= 4) {
            CRC32 crc = new CRC32();
            crc.update(blob, 0, blob.length - 4);
            ByteBuffer.wrap(blob, blob.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue());
        }
        LocalFeatures f;
        try {
            f = LocalFeatureCodec.decode(blob, projection);
        } catch (LocalFeatureCodec.CorruptBlobException e) {
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        assertThat(f.count()).isNotNegative();
        assertThat(LocalFeatureCodec.encodedSize(f.count(), f.dim())).isEqualTo(blob.length);
    }

    @FuzzTest(maxDuration = "2m")
    void storedModel(FuzzedDataProvider in) {
        String pca = Base64.getEncoder().encodeToString(in.consumeBytes(in.consumeInt(0, 1 << 16)));
        Optional<String> att = in.consumeBoolean()
                ? Optional.of(Base64.getEncoder().encodeToString(in.consumeBytes(in.consumeInt(0, 1 << 16))))
                : Optional.empty();
        String sample = in.consumeRemainingAsString();
        Map<String, String> settings = new java.util.HashMap<>();
        settings.put(LocalFeatureModel.PCA_SETTING, pca);
        att.ifPresent(a -> settings.put(LocalFeatureModel.ATTENTION_SETTING, a));
        settings.put(LocalFeatureModel.SAMPLE_SETTING, sample);
        Optional<LocalFeatureModel> m = LocalFeatureModel.fromSettings(k -> Optional.ofNullable(settings.get(k)));
        assertThat(m).isNotNull();
    }
}

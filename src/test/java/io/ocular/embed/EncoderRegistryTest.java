package io.ocular.embed;

import io.ocular.model.ModelInfo;
import io.ocular.model.ModelKind;
import io.ocular.model.OcularException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EncoderRegistryTest {
    @TempDir
    Path dataDir;

    @Test
    void freshInstallOffersTheBuiltinDescriptor() {
        EncoderRegistry r = new EncoderRegistry(new ModelStore(dataDir));
        assertThat(r.available()).containsExactly(BuiltinDescriptor.info());
        try (ImageEncoder e = r.openImageEncoder("builtin-v1")) {
            assertThat(e).isInstanceOf(BuiltinDescriptor.class);
        }
        assertThatThrownBy(() -> r.openTextEncoder("builtin-v1"))
                .isInstanceOf(OcularException.class).hasMessageContaining("cannot search by text");
        assertThatThrownBy(() -> r.openImageEncoder("nope"))
                .isInstanceOf(OcularException.class).hasMessageContaining("'nope' is not installed");
    }

    @Test
    void opensInstalledCnnModels() {
        ModelStore store = new ModelStore(dataDir);
        InstalledModel m = store.importFile(ModelStoreTest.tinyCnn(), Optional.of("tiny"));
        EncoderRegistry r = new EncoderRegistry(store);

        assertThat(r.available()).extracting(ModelInfo::id).containsExactly("builtin-v1", "tiny");
        assertThat(r.info("tiny")).contains(new ModelInfo("tiny", "tiny-cnn-features", ModelKind.IMAGE, 8,
                m.manifest().files().get(0).sha256()));
        try (ImageEncoder e = r.openImageEncoder("tiny")) {
            assertThat(e).isInstanceOf(OnnxImageEncoder.class);
            assertThat(e.dimension()).isEqualTo(8);
            assertThat(e.encode(List.of(TestImages.synthetic(100, 80, 1)))[0]).hasSize(8);
        }
        assertThatThrownBy(() -> r.openTextEncoder("tiny"))
                .isInstanceOf(OcularException.class).hasMessageContaining("cannot search by text");
    }

    @Test
    void otherEncoderTypesPlugIn() {
        ModelStore store = new ModelStore(dataDir);
        ModelManifest tiny = store.importFile(ModelStoreTest.tinyCnn(), Optional.of("tiny")).manifest();
        ModelManifest both = new ModelManifest(1, "fake-clip", "Fake CLIP", ModelKind.IMAGE_TEXT, 8, "fake-clip",
                tiny.files(), null, "MIT", "test", Map.of());
        store.installFiles(both, Map.of("model.onnx", ModelStoreTest.tinyCnn()));

        EncoderRegistry plain = new EncoderRegistry(store);
        assertThat(plain.available()).extracting(ModelInfo::id).doesNotContain("fake-clip");
        assertThatThrownBy(() -> plain.openImageEncoder("fake-clip")).isInstanceOf(OcularException.class)
                .hasMessageContaining("encoder type 'fake-clip'");

        TextEncoder text = new TextEncoder() {
            public String modelId() {
                return "fake-clip";
            }

            public int dimension() {
                return 8;
            }

            public float[][] encodeText(List<String> texts) {
                return new float[texts.size()][8];
            }

            public void close() {
            }
        };
        EncoderRegistry extended = plain
                .withImageEncoder("fake-clip", m -> new OnnxImageEncoder(store.get("tiny").orElseThrow()))
                .withTextEncoder("fake-clip", m -> text);
        assertThat(extended.available()).extracting(ModelInfo::id).containsExactly("builtin-v1", "fake-clip", "tiny");
        assertThat(extended.openTextEncoder("fake-clip")).isSameAs(text);
        try (ImageEncoder e = extended.openImageEncoder("fake-clip")) {
            assertThat(e.encode(List.of(new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB)))).hasNumberOfRows(1);
        }
    }
}

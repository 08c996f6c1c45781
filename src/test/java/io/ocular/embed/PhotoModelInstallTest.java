package io.ocular.embed;

import io.ocular.model.OcularException;
import io.ocular.testing.SharedData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

/**
 * The photo model as a user gets it: the built-in catalogue entry downloads the ONNX Model Zoo's original
 * file (here from a local HTTP server) and Ocular installs the feature model derived from it; importing
 * the original file does the same.
 */
class PhotoModelInstallTest {

    @TempDir
    Path dataDir;
    private LocalFileServer server;
    private ModelStore store;
    private ModelInstaller installer;
    private byte[] zoo;

    @BeforeEach
    void start() throws Exception {
        zoo = Files.readAllBytes(FeatureModelDerivationTest.original());
        server = new LocalFileServer();
        server.put("/onnxmodelzoo/mobilenetv2-12-int8/resolve/main/mobilenetv2-12-int8.onnx", zoo);
        store = new ModelStore(dataDir);
        installer = new ModelInstaller(new ModelDownloader(ModelDownloader.defaultClient(), Duration.ofSeconds(5), 2,
                Duration.ZERO), store);
    }

    @AfterEach
    void stop() {
        if (server != null) { // null when start() skipped the test (no ../shared)
            server.close();
        }
    }

    /** The built-in entry, pointed at the local server instead of the public mirror. */
    private ModelCatalogue.Entry builtInEntryServedLocally(ModelCatalogue.Derived derive) {
        ModelCatalogue.Entry e = ModelCatalogue.builtIn().find("mobilenetv2-int8").orElseThrow();
        ModelCatalogue.FileSpec f = e.files().get(0);
        ModelCatalogue.FileSpec local = new ModelCatalogue.FileSpec(f.name(), server.uri(f.url().getPath()), f.size(),
                f.sha256(), f.arch(), derive == null ? f.derive() : derive);
        return new ModelCatalogue.Entry(e.id(), e.name(), e.kind(), List.of(local), e.licence(), e.dimension(),
                e.preprocessing(), e.homepage());
    }

    @Test
    void downloadingTheCatalogueEntryInstallsTheDerivedFeatureModel() throws Exception {
        InstalledModel m = installer.installModel(builtInEntryServedLocally(null), ModelDownloader.Listener.NONE,
                () -> false);

        assertThat(m.manifest().id()).isEqualTo("mobilenetv2-int8");
        assertThat(m.manifest().dimension()).isEqualTo(1280);
        assertThat(m.manifest().encoder()).isEqualTo(ModelManifest.ENCODER_CNN_AVGPOOL);
        Path file = m.file("mobilenetv2-12-int8-features.onnx");
        assertThat(Files.readAllBytes(file)).isEqualTo(Files.readAllBytes(SharedData.mobileNetV2()));
        try (var files = Files.list(m.directory())) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("mobilenetv2-12-int8-features.onnx", ModelStore.MANIFEST);
        }
        assertThat(installer.downloadDir("mobilenetv2-int8")).doesNotExist();
        assertThat(server.requests).extracting(LocalFileServer.Request::path)
                .containsOnly("/onnxmodelzoo/mobilenetv2-12-int8/resolve/main/mobilenetv2-12-int8.onnx");
        // the installed model is what the local-feature (instance search) code recognises too
        assertThat(LocalFeatureExtractor.MODEL_SHA256).isEqualTo(m.manifest().files().get(0).sha256());
        try (ImageEncoder enc = new EncoderRegistry(store).openImageEncoder("mobilenetv2-int8")) {
            float[] v = enc.encode(List.of(TestImages.synthetic(200, 150, 7)))[0];
            assertThat(v).hasSize(1280);
            assertThat(TestImages.norm(v)).isCloseTo(1.0, offset(1e-4));
        }
    }

    @Test
    void aDerivedFileThatDiffersFromTheCatalogueIsNotInstalled() {
        ModelCatalogue.Derived wrong = new ModelCatalogue.Derived(FeatureModelDerivation.MOBILENETV2_FEATURES,
                "mobilenetv2-12-int8-features.onnx", 3_655_321L, "0".repeat(64));

        assertThatThrownBy(() -> installer.installModel(builtInEntryServedLocally(wrong), ModelDownloader.Listener.NONE,
                () -> false)).isInstanceOf(OcularException.class).hasMessageContaining("mobilenetv2-12-int8-features.onnx");

        assertThat(store.list()).isEmpty();
        assertThat(dataDir.resolve("models/mobilenetv2-int8")).doesNotExist();
    }

    @Test
    void importingTheZooFileInstallsTheSameFeatureModel() throws Exception {
        Path download = Files.write(dataDir.resolve("mobilenetv2-12-int8.onnx"), zoo);

        InstalledModel m = store.importFile(download, Optional.empty());

        assertThat(m.manifest().id()).isEqualTo("mobilenetv2-int8");
        assertThat(m.manifest().dimension()).isEqualTo(1280);
        assertThat(m.manifest().files()).singleElement().satisfies(f ->
                assertThat(f.sha256()).isEqualTo(FeatureModelDerivation.MOBILENETV2_DERIVED_SHA256));
        assertThat(Files.readAllBytes(m.file(ModelStore.IMPORTED_ONNX)))
                .isEqualTo(Files.readAllBytes(SharedData.mobileNetV2()));
        assertThat(Files.readAllBytes(download)).as("the user's file is left as it was").isEqualTo(zoo);
        try (var files = Files.list(m.directory())) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(ModelStore.IMPORTED_ONNX, ModelStore.MANIFEST);
        }
    }
}

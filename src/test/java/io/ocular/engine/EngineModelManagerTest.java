package io.ocular.engine;

import io.ocular.embed.ModelCatalogue;
import io.ocular.embed.ModelDownloader;
import io.ocular.embed.ModelInstaller;
import io.ocular.engine.ModelManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class EngineModelManagerTest {

    @Test
    void listsBuiltInAndCatalogueWithInstalledAndActiveState(@TempDir Path models) throws Exception {
        ModelCatalogue catalogue = ModelCatalogue.builtIn();
        ModelInstaller installer = new ModelInstaller(
                new ModelDownloader(ModelDownloader.defaultClient(), Duration.ofSeconds(1), 1, Duration.ZERO), models);
        AtomicReference<String> active = new AtomicReference<>();
        EngineModelManager m = new EngineModelManager(catalogue, installer, active::get, active::set,
                p -> "clip-vit-b32", null);

        var entries = m.catalogue();
        assertThat(entries.get(0).builtIn()).isTrue();
        assertThat(entries.get(0).active()).isTrue();
        ModelManager.Entry clip = entries.stream().filter(e -> e.id().equals("clip-vit-b32")).findFirst().orElseThrow();
        assertThat(clip.text()).isTrue();
        assertThat(clip.installed()).isFalse();
        assertThat(clip.sizeBytes()).isGreaterThan(500_000_000L);
        assertThat(m.networkAvailable()).isFalse();

        // a real (tiny) model installed under the catalogue id: the store only lists complete, valid installs
        Path tiny = Path.of(getClass().getResource("/io/ocular/embed/tiny-cnn-features.onnx").toURI());
        installer.store().importFile(tiny, java.util.Optional.of("clip-vit-b32"));
        m.activate("clip-vit-b32");
        ModelManager.Entry after = m.importModel(models);
        assertThat(after.installed()).isTrue();
        assertThat(after.active()).isTrue();
        assertThat(m.catalogue().get(0).active()).isFalse();
    }
}

package io.ocular.engine;

import io.ocular.embed.EncoderRegistry;
import io.ocular.embed.ModelCatalogue;
import io.ocular.embed.ModelDownloader;
import io.ocular.embed.ModelStore;
import io.ocular.model.OcularException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EngineModelManagerTest {

    @Test
    void listsBuiltInAndCatalogueWithInstalledAndActiveState(@TempDir Path data) throws Exception {
        ModelStore store = new ModelStore(data);
        AtomicReference<String> active = new AtomicReference<>();
        ModelService service = new ModelService(store, new EncoderRegistry(store), ModelCatalogue.builtIn(),
                new ModelDownloader(ModelDownloader.defaultClient(), Duration.ofSeconds(1), 1, Duration.ZERO),
                () -> Optional.ofNullable(active.get()));
        EngineModelManager m = new EngineModelManager(service, null);

        var entries = m.catalogue();
        assertThat(entries.get(0).builtIn()).isTrue();
        assertThat(entries.get(0).active()).isTrue();
        ModelManager.Entry clip = entries.stream().filter(e -> e.id().equals("clip-vit-b32")).findFirst().orElseThrow();
        assertThat(clip.text()).isTrue();
        assertThat(clip.installed()).isFalse();
        assertThat(clip.sizeBytes()).isGreaterThan(500_000_000L);
        assertThat(m.networkAvailable()).isFalse();

        // without an engine there is no switch: activation is refused with a message, nothing changes
        assertThatThrownBy(() -> m.activate("builtin-v1")).isInstanceOf(OcularException.class)
                .hasMessageContaining("Open the library");
        service.attach(model -> active.set(model.id()));

        // a real (tiny) model imported under the catalogue id: the store only lists complete, valid installs
        Path tiny = Path.of(getClass().getResource("/io/ocular/embed/tiny-cnn-features.onnx").toURI());
        assertThat(service.importModel(tiny, Optional.of("clip-vit-b32")).manifest().id()).isEqualTo("clip-vit-b32");
        m.activate("clip-vit-b32");
        ModelManager.Entry after = m.catalogue().stream().filter(e -> e.id().equals("clip-vit-b32")).findFirst()
                .orElseThrow();
        assertThat(after.installed()).isTrue();
        assertThat(after.active()).isTrue();
        assertThat(m.catalogue().get(0).active()).isFalse();

        // the active model is not removed; another one is, and unknown ids get a clear message
        assertThatThrownBy(() -> service.remove("clip-vit-b32")).isInstanceOf(OcularException.class)
                .hasMessageContaining("active model");
        service.importModel(tiny, Optional.of("spare"));
        service.remove("spare");
        assertThat(service.isInstalled("spare")).isFalse();
        assertThatThrownBy(() -> service.remove("spare")).hasMessageContaining("Unknown model 'spare'");
        assertThatThrownBy(() -> service.remove("builtin-v1")).hasMessageContaining("built-in");
        assertThatThrownBy(() -> m.activate("nope")).hasMessageContaining("Unknown model 'nope'");
    }
}

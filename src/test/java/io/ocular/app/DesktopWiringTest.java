package io.ocular.app;

import io.ocular.engine.AppPaths;
import io.ocular.engine.Engine;
import io.ocular.model.Query;
import io.ocular.model.SearchResult;
import io.ocular.ui.common.Notifications;
import io.ocular.ui.common.UiExecutors;
import io.ocular.ui.common.UiSettings;
import io.ocular.engine.ModelManager;
import io.ocular.ui.models.ModelsViewModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The window's Models tab over the real engine: first-run offer, import into the store, switch without restart. */
class DesktopWiringTest {

    @Test
    void importThenActivateSwitchesTheRunningEngine(@TempDir Path tmp) throws Exception {
        Path photos = Files.createDirectories(tmp.resolve("photos"));
        for (int i = 0; i < 4; i++) {
            BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
            var g = img.createGraphics();
            g.setColor(new Color(60 * i, 200 - 40 * i, 90));
            g.fillRect(0, 0, 64, 48);
            g.setColor(Color.WHITE);
            g.fillOval(8 * i, 10, 20, 20);
            g.dispose();
            ImageIO.write(img, "png", photos.resolve("p" + i + ".png").toFile());
        }
        Path tiny = Path.of(getClass().getResource("/io/ocular/embed/tiny-cnn-features.onnx").toURI());
        try (Engine ocular = Engine.open(AppPaths.under(tmp.resolve("data")), null)) {
            Notifications notes = new Notifications();
            ModelsViewModel vm = new ModelsViewModel(DesktopMain.modelManager(ocular), UiSettings.inMemory(),
                    UiExecutors.direct(), notes);
            vm.refresh();
            assertThat(vm.activeNameProperty().get()).isEqualTo("Built-in colour & texture");
            assertThat(vm.offerProperty().get()).contains("Get CLIP").contains("MB download").contains("search by words");

            ocular.indexer().addFolder(photos);
            assertThat(ocular.indexer().awaitIdle(Duration.ofSeconds(60))).isTrue();
            String builtin = ocular.activeModel().id();
            assertThat(ocular.index().size()).isEqualTo(4);

            vm.importModel(tiny);
            assertThat(notes.current().text()).startsWith("Imported ");
            ModelManager.Entry imported = vm.entries().stream()
                    .filter(e -> e.installed() && !e.builtIn() && !e.active()).findFirst().orElseThrow();
            assertThat(imported.sizeBytes()).isZero(); // an imported file has no download size

            vm.activate(imported);
            assertThat(notes.current().level()).isEqualTo(Notifications.Level.INFO);
            assertThat(ocular.activeModel().id()).isEqualTo(imported.id()).isNotEqualTo(builtin);
            assertThat(ocular.catalog().activeModelId()).contains(imported.id());
            assertThat(vm.entries().stream().filter(ModelManager.Entry::active).map(ModelManager.Entry::id))
                    .containsExactly(imported.id());

            assertThat(ocular.indexer().awaitIdle(Duration.ofSeconds(60))).isTrue();
            assertThat(ocular.catalog().imagesWithoutEmbedding(imported.id())).isEmpty();
            assertThat(ocular.index().size()).isEqualTo(4);
            SearchResult r = ocular.search().search(new Query.ByFile(photos.resolve("p1.png")), 3);
            assertThat(r.modelId()).isEqualTo(imported.id());
            assertThat(r.notice()).isNull();
            assertThat(r.hits()).hasSize(3);
        }
    }
}

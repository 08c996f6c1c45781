package io.ocular.app;

import io.ocular.engine.AppPaths;
import io.ocular.engine.Engine;
import io.ocular.model.Query;
import io.ocular.model.SearchResult;
import io.ocular.embed.TextTowers;
import io.ocular.ui.common.Messages;
import io.ocular.ui.common.Notifications;
import io.ocular.ui.common.TextModels;
import io.ocular.ui.main.SearchViewModel;
import io.ocular.ui.main.TextModelViewModel;
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
import java.util.List;
import java.util.Locale;
import java.util.Optional;

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

    @Test
    void windowImportOfHandDownloadedFoldersAndChoosingTheMultilingualReader(@TempDir Path tmp) throws Exception {
        Path clip = Path.of(getClass().getResource("/models/clip-standin/vision_model.onnx").toURI()).getParent();
        Path ml = Path.of(getClass().getResource("/models/multilingual-standin/text_model.onnx").toURI()).getParent();
        Path clipRepo = Files.createDirectories(tmp.resolve("clip-vit-base-patch32/onnx")).getParent();
        Files.copy(clip.resolve("vision_model.onnx"), clipRepo.resolve("onnx/vision_model.onnx"));
        Files.copy(clip.resolve("text_model.onnx"), clipRepo.resolve("onnx/text_model.onnx"));
        Files.copy(clip.resolve("tokenizer.json"), clipRepo.resolve("tokenizer.json"));
        Path mlRepo = Files.createDirectories(tmp.resolve("clip-ViT-B-32-multilingual-v1/onnx")).getParent();
        Files.createDirectories(mlRepo.resolve("2_Dense"));
        Files.copy(ml.resolve("text_model.onnx"), mlRepo.resolve("onnx/model.onnx"));
        Files.copy(ml.resolve("dense.safetensors"), mlRepo.resolve("2_Dense/model.safetensors"));
        Files.copy(ml.resolve("tokenizer.json"), mlRepo.resolve("tokenizer.json"));
        Path photos = Files.createDirectories(tmp.resolve("photos"));
        int[] colours = {0x2030D0, 0x1040C0, 0xD03020, 0x20C040};
        for (int i = 0; i < colours.length; i++) {
            BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
            var g = img.createGraphics();
            g.setColor(new Color(colours[i]));
            g.fillRect(0, 0, 64, 48);
            g.dispose();
            ImageIO.write(img, "png", photos.resolve("p" + i + ".png").toFile());
        }
        try (Engine ocular = Engine.open(AppPaths.under(tmp.resolve("data")), null)) {
            Notifications notes = new Notifications();
            ModelsViewModel vm = new ModelsViewModel(DesktopMain.modelManager(ocular), UiSettings.inMemory(),
                    UiExecutors.direct(), notes);
            vm.refresh();
            vm.importModel(clipRepo);
            assertThat(notes.current().text()).startsWith("Imported ");
            vm.importModel(mlRepo);
            assertThat(notes.current().text()).startsWith("Imported ");
            ModelManager.Entry clipEntry = vm.entries().stream().filter(e -> e.id().equals("clip-vit-base-patch32"))
                    .findFirst().orElseThrow();
            ModelManager.Entry mlEntry = vm.entries().stream().filter(e -> e.id().endsWith("-text"))
                    .findFirst().orElseThrow();
            vm.activate(clipEntry);
            ocular.indexer().addFolder(photos);
            assertThat(ocular.indexer().awaitIdle(Duration.ofSeconds(60))).isTrue();
            assertThat(ocular.textTowers().orElseThrow().current()).isEqualTo("clip-vit-base-patch32");

            // an imported CLIP has no declared space: the multilingual tower (CLIP ViT-B/32's space) is not
            // offered for it until the user says they share one; choosing it is refused, CLIP stays active
            vm.activate(mlEntry);
            assertThat(notes.current().level()).isNotEqualTo(Notifications.Level.INFO);
            assertThat(notes.current().text()).contains("another vector space");
            assertThat(ocular.activeModel().id()).isEqualTo("clip-vit-base-patch32");
        }
    }

    /**
     * "Search words with: English CLIP | Multilingual" over the real engine with the stand-in CLIP (declared in
     * CLIP ViT-B/32's space) and the stand-in multilingual tower: both are offered, choosing the multilingual one
     * makes it read the words (remembered for the model) and Korean words find the same photos as English ones.
     */
    @Test
    void theWindowsTextModelChoiceSwitchesTheTowerThatReadsTheWords(@TempDir Path tmp) throws Exception {
        Path clip = Path.of(getClass().getResource("/models/clip-standin/vision_model.onnx").toURI()).getParent();
        Path ml = Path.of(getClass().getResource("/models/multilingual-standin/text_model.onnx").toURI()).getParent();
        Path clipRepo = Files.createDirectories(tmp.resolve("clip-vit-base-patch32/onnx")).getParent();
        Files.copy(clip.resolve("vision_model.onnx"), clipRepo.resolve("onnx/vision_model.onnx"));
        Files.copy(clip.resolve("text_model.onnx"), clipRepo.resolve("onnx/text_model.onnx"));
        Files.copy(clip.resolve("tokenizer.json"), clipRepo.resolve("tokenizer.json"));
        Path mlRepo = Files.createDirectories(tmp.resolve("clip-ViT-B-32-multilingual-v1/onnx")).getParent();
        Files.createDirectories(mlRepo.resolve("2_Dense"));
        Files.copy(ml.resolve("text_model.onnx"), mlRepo.resolve("onnx/model.onnx"));
        Files.copy(ml.resolve("dense.safetensors"), mlRepo.resolve("2_Dense/model.safetensors"));
        Files.copy(ml.resolve("tokenizer.json"), mlRepo.resolve("tokenizer.json"));
        Path photos = Files.createDirectories(tmp.resolve("photos"));
        Color[] colours = {new Color(30, 40, 220), new Color(20, 60, 200), new Color(220, 30, 30),
            new Color(200, 40, 20), new Color(30, 200, 40)};
        String[] names = {"blue0", "blue1", "red0", "red1", "green0"};
        for (int i = 0; i < colours.length; i++) {
            BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
            var g = img.createGraphics();
            g.setColor(colours[i]);
            g.fillRect(0, 0, 64, 48);
            g.dispose();
            ImageIO.write(img, "png", photos.resolve(names[i] + ".png").toFile());
        }
        try (Engine ocular = Engine.open(AppPaths.under(tmp.resolve("data")), null)) {
            ocular.models().importModels(List.of(clipRepo), Optional.of("clip"), Optional.of("openai-clip-vit-b32"));
            ocular.models().importModels(List.of(mlRepo), Optional.empty(), Optional.empty());
            ocular.models().activate("clip");
            ocular.indexer().addFolder(photos);
            assertThat(ocular.indexer().awaitIdle(Duration.ofSeconds(60))).isTrue();

            TextModels towers = DesktopLauncher.textModels(ocular);
            TextModels.Choices read = towers.read();
            assertThat(read.all()).hasSize(2);
            assertThat(read.all().get(0).own()).isTrue();
            assertThat(read.current()).isEqualTo("clip");
            TextModels.Choice multilingual = read.all().get(1);

            Notifications notes = new Notifications();
            SearchViewModel search = new SearchViewModel(ocular.search(), UiExecutors.direct(), notes, 2);
            TextModelViewModel vm = new TextModelViewModel(towers, search, UiExecutors.direct(), notes,
                    Messages.of(Locale.KOREAN));
            vm.refresh();
            assertThat(vm.availableProperty().get()).isTrue();
            assertThat(vm.choices()).extracting(vm::label).containsExactly("영어(CLIP)", "다국어");
            search.queryTextProperty().set("바닷가의 강아지");
            search.searchText();
            vm.selectedProperty().set(multilingual);
            assertThat(ocular.textTowers().orElseThrow().current()).isEqualTo(multilingual.id());
            assertThat(ocular.catalog().setting(TextTowers.settingKey("clip"))).contains(multilingual.id());
            assertThat(search.results()).extracting(r -> r.path().getFileName().toString())
                    .containsExactlyInAnyOrder("blue0.png", "blue1.png");
            search.queryTextProperty().set("a dog on the beach");
            search.searchText();
            assertThat(search.results()).extracting(r -> r.path().getFileName().toString())
                    .containsExactlyInAnyOrder("blue0.png", "blue1.png");
        }
    }
}

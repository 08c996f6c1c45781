package io.ocular.ui.duplicates;

import io.ocular.engine.DuplicateService;
import io.ocular.ui.common.Notifications;
import io.ocular.ui.common.Trash;
import io.ocular.ui.common.UiExecutors;
import io.ocular.ui.fakes.FakeIndexer;
import io.ocular.ui.fakes.UiTestCatalog;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class DuplicatesViewModelTest {
    final UiTestCatalog catalog = new UiTestCatalog();
    final FakeIndexer indexer = new FakeIndexer(catalog);
    final Notifications notes = new Notifications();
    final List<Path> trashed = new CopyOnWriteArrayList<>();
    boolean trashSupported = true;
    final Trash trash = new Trash() {
        @Override
        public boolean isSupported() {
            return trashSupported;
        }

        @Override
        public boolean moveToTrash(Path file) {
            trashed.add(file);
            return true;
        }
    };
    final DuplicatesViewModel vm = new DuplicatesViewModel(
            new DuplicateService(catalog, () -> catalog.activeModelId().orElse(null)), indexer, trash,
            UiExecutors.direct(), notes);

    static float[] angle(double deg) {
        double r = Math.toRadians(deg);
        return new float[] {(float) Math.cos(r), (float) Math.sin(r)};
    }

    void library() {
        catalog.setActiveModelId("m");
        long f = catalog.addFolder(Path.of("/p")).id();
        catalog.addImage(f, Path.of("/p/a.jpg"), angle(0));
        catalog.addImage(f, Path.of("/p/a-copy.jpg"), angle(2));    // cos 2° = 0.9994
        catalog.addImage(f, Path.of("/p/a-edit.jpg"), angle(14));   // cos 12° = 0.978 to the copy
        catalog.addImage(f, Path.of("/p/other.jpg"), angle(90));
    }

    @Test
    void sliderRegroupsWithoutRescanning() {
        library();
        vm.thresholdProperty().set(0.99);
        vm.scan();
        assertThat(vm.groups()).hasSize(1);
        assertThat(vm.groups().get(0).members()).extracting(m -> m.path().getFileName().toString())
                .containsExactly("a.jpg", "a-copy.jpg");
        vm.thresholdProperty().set(0.97);
        assertThat(vm.groups().get(0).members()).hasSize(3);
        assertThat(vm.summaryProperty().get()).startsWith("1 group, 3 photos");
        vm.thresholdProperty().set(0.9999);
        assertThat(vm.groups()).isEmpty();
    }

    @Test
    void nothingIsTrashedWithoutTicksOrSupportAndTicksGoToTheTrash() {
        library();
        vm.thresholdProperty().set(0.97);
        vm.scan();
        assertThat(vm.confirmationText()).isNull();
        assertThat(notes.current().text()).contains("Tick the copies");
        vm.markAllButFirst();
        trashSupported = false;
        assertThat(vm.confirmationText()).isNull();
        vm.trashMarked();
        assertThat(trashed).isEmpty();
        assertThat(notes.current().text()).contains("no trash");
        trashSupported = true;
        assertThat(vm.confirmationText()).startsWith("Move 2 photos to the trash?");
        vm.trashMarked();
        assertThat(trashed).containsExactly(Path.of("/p/a-copy.jpg"), Path.of("/p/a-edit.jpg"));
        assertThat(indexer.commands).contains("rescan");
        assertThat(vm.groups()).isEmpty();
        assertThat(notes.current().text()).isEqualTo("Moved 2 photos to the trash.");
    }

    @Test
    void theSliderStartsAtTheModelsDefaultUntilTheUserMovesIt() {
        library(); // vectors of model "m", a learned model: default 0.95
        vm.scan();
        assertThat(vm.thresholdProperty().get()).isEqualTo(DuplicateService.DEFAULT_THRESHOLD);
        assertThat(vm.groups().get(0).members()).hasSize(3); // 0.95 joins the copy and the 14° edit

        catalog.setActiveModelId("builtin-v1"); // the built-in descriptor: default 0.98
        long f = catalog.addFolder(Path.of("/q")).id();
        catalog.addImage(f, Path.of("/q/a.jpg"), angle(0));
        catalog.addImage(f, Path.of("/q/a-copy.jpg"), angle(2));
        catalog.addImage(f, Path.of("/q/a-edit.jpg"), angle(14));
        DuplicatesViewModel builtin = new DuplicatesViewModel(
                new DuplicateService(catalog, () -> catalog.activeModelId().orElse(null)), indexer, trash,
                UiExecutors.direct(), notes);
        builtin.scan();
        assertThat(builtin.thresholdProperty().get()).isEqualTo(DuplicateService.BUILTIN_DEFAULT_THRESHOLD);
        assertThat(builtin.groups()).hasSize(1);
        assertThat(builtin.groups().get(0).members()).hasSize(2);

        builtin.thresholdProperty().set(0.9); // the user's choice survives the next scan
        builtin.scan();
        assertThat(builtin.thresholdProperty().get()).isEqualTo(0.9);
        assertThat(builtin.groups().get(0).members()).hasSize(3);
    }

    @Test
    void noActiveModelIsAMessage() {
        vm.scan();
        assertThat(notes.current().text()).contains("No model is active");
        assertThat(vm.busyProperty().get()).isFalse();
    }
}

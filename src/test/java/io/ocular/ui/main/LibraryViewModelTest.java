package io.ocular.ui.main;

import io.ocular.model.IndexProgress;
import io.ocular.ui.common.Notifications;
import io.ocular.ui.common.UiExecutors;
import io.ocular.ui.fakes.FakeIndexer;
import io.ocular.ui.fakes.QueueExecutor;
import io.ocular.ui.fakes.UiTestCatalog;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class LibraryViewModelTest {
    final UiTestCatalog catalog = new UiTestCatalog();
    final FakeIndexer indexer = new FakeIndexer(catalog);
    final Notifications notes = new Notifications();
    final LibraryViewModel vm = new LibraryViewModel(catalog, indexer, UiExecutors.direct(), notes);

    @Test
    void droppingFoldersAndImagesAddsFoldersAndReportsTheRest(@TempDir Path dir) throws Exception {
        Path trips = Files.createDirectories(dir.resolve("trips"));
        Path other = Files.createDirectories(dir.resolve("other"));
        Path photo = Files.write(other.resolve("p.JPG"), new byte[] {1});
        Path doc = Files.writeString(dir.resolve("doc.pdf"), "x");
        vm.drop(List.of(trips, photo, doc, dir.resolve("vanished")));
        assertThat(indexer.commands).containsExactly("add " + trips, "add " + other);
        assertThat(vm.folders()).extracting(FolderItem::name).containsExactlyInAnyOrder("trips", "other");
        assertThat(notes.current().text()).contains("Added 2 folders");
    }

    @Test
    void onlyRejectedDropsShowAnError(@TempDir Path dir) throws Exception {
        Path doc = Files.writeString(dir.resolve("doc.pdf"), "x");
        vm.drop(List.of(doc, dir.resolve("gone.jpg")));
        assertThat(indexer.commands).isEmpty();
        assertThat(notes.current().level()).isEqualTo(Notifications.Level.ERROR);
        assertThat(notes.current().text()).isEqualTo("Ignored doc.pdf (not an image or folder), gone.jpg (gone).");
    }

    @Test
    void removeAndStatus(@TempDir Path dir) {
        vm.addFolder(dir);
        assertThat(vm.folders()).hasSize(1);
        FolderItem item = vm.folders().get(0);
        assertThat(item.status(io.ocular.ui.common.Messages.english())).isEqualTo("0 images");
        vm.onProgress(new IndexProgress(IndexProgress.State.INDEXING, 1, 5, 0, 3, null, dir.resolve("a.jpg"), List.of()));
        assertThat(vm.folders().get(0).status(io.ocular.ui.common.Messages.english())).isEqualTo("0 images · indexing…");
        indexer.offline.add(dir.toAbsolutePath().normalize()); // its drive went away
        vm.onProgress(new IndexProgress(IndexProgress.State.DONE, 1, 1, 0, 0, null, null, List.of()));
        assertThat(vm.folders().get(0).offline()).isTrue();
        assertThat(vm.folders().get(0).status(io.ocular.ui.common.Messages.english()))
                .isEqualTo("0 images · offline (drive disconnected?): photos kept");
        vm.remove(vm.folders().get(0));
        assertThat(indexer.commands).last().isEqualTo("remove " + dir.toAbsolutePath().normalize());
        assertThat(vm.folders()).isEmpty();
        vm.addFolder(dir.resolve("missing"));
        assertThat(notes.current().text()).contains("is not a folder");
    }

    @Test
    void aRefreshReplacesOnlyTheRowsThatChangedAndNothingWhenNothingDid(@TempDir Path dir) throws Exception {
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        vm.addFolder(a);
        vm.addFolder(b);
        List<ListChangeListener.Change<? extends FolderItem>> changes = new ArrayList<>();
        vm.folders().addListener((ListChangeListener<FolderItem>) c -> changes.add(c));

        vm.refresh(); // indexing refreshes every 2 s; most refreshes find the same counts
        assertThat(changes).as("an unchanged catalog touches no row").isEmpty();

        long bId = vm.folders().get(1).folder().id();
        catalog.addImage(bId, b.resolve("p.jpg"), null);
        vm.refresh();
        assertThat(changes).hasSize(1);
        ListChangeListener.Change<? extends FolderItem> c = changes.get(0);
        c.next();
        assertThat(c.wasReplaced()).isTrue();
        assertThat(c.getFrom()).as("only b's row").isEqualTo(1);
        assertThat(c.getTo()).isEqualTo(2);
        assertThat(vm.folders().get(1).folder().imageCount()).isEqualTo(1);
        assertThat(vm.folders().get(0).folder().imageCount()).isZero();
    }

    @Test
    void theRowsAreBuiltOffTheUiThreadWhichOnlyPublishesThem(@TempDir Path dir) throws Exception {
        ExecutorService background = Executors.newSingleThreadExecutor(r -> new Thread(r, "library-read"));
        QueueExecutor ui = new QueueExecutor();
        LibraryViewModel queued = new LibraryViewModel(catalog, indexer, new UiExecutors(background, ui), notes);
        catalog.addFolder(Files.createDirectories(dir.resolve("a")));
        queued.refresh();
        background.shutdown();
        assertThat(background.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(queued.folders()).as("nothing published before the UI thread runs").isEmpty();
        assertThat(ui.runAll()).isEqualTo(1);
        assertThat(queued.folders()).hasSize(1);
        assertThat(indexer.offlineAskedOn).as("the offline check is I/O: never on the UI thread")
                .containsExactly("library-read");
    }

    @Test
    void replaceChangedMakesTheListEqualWithTheFewestChanges() {
        ObservableList<String> list = FXCollections.observableArrayList("a", "b", "c");
        assertThat(LibraryViewModel.replaceChanged(list, List.of("a", "b", "c"))).isFalse();
        assertThat(LibraryViewModel.replaceChanged(list, List.of("a", "x"))).isTrue();
        assertThat(list).containsExactly("a", "x");
        assertThat(LibraryViewModel.replaceChanged(list, List.of("a", "x", "y", "z"))).isTrue();
        assertThat(list).containsExactly("a", "x", "y", "z");
        assertThat(LibraryViewModel.replaceChanged(list, List.of())).isTrue();
        assertThat(list).isEmpty();
    }
}

package io.ocular.ui.main;

import io.ocular.model.IndexProgress;
import io.ocular.ui.common.Notifications;
import io.ocular.ui.common.UiExecutors;
import io.ocular.ui.fakes.FakeIndexer;
import io.ocular.ui.fakes.UiTestCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
}

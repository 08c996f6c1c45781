package io.ocular.store;

import io.ocular.model.FolderRecord;
import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Catalog#forEachImageInFolder}: the rows of {@link Catalog#imagesInFolder}, streamed (issue 13). */
class SqliteCatalogStreamingTest {
    @TempDir
    Path tmp;

    @Test
    void streamsTheSameRecordsAsTheListOfAFolderAndNoOther() {
        Path photos = tmp.resolve("photos");
        try (Catalog catalog = SqliteCatalog.open(tmp.resolve("data/catalog.db"))) {
            FolderRecord f = catalog.addFolder(photos);
            FolderRecord other = catalog.addFolder(tmp.resolve("other"));
            for (String name : List.of("b.jpg", "a.jpg", "sub/c.png")) {
                catalog.upsertImage(new ImageRecord(0, f.id(), photos.resolve(name), 10, 1_700_000_000_000L, null,
                        4, 3, null, 1, ImageStatus.INDEXED, null));
            }
            catalog.upsertImage(new ImageRecord(0, f.id(), photos.resolve("broken.jpg"), 10, 1L, null, 0, 0, null, 1,
                    ImageStatus.SKIPPED, "damaged"));
            catalog.upsertImage(new ImageRecord(0, other.id(), tmp.resolve("other/x.jpg"), 10, 1L, null, 0, 0, null, 1,
                    ImageStatus.PENDING, null));

            List<ImageRecord> streamed = new ArrayList<>();
            catalog.forEachImageInFolder(f.id(), streamed::add);

            assertThat(streamed).hasSize(4).containsExactlyInAnyOrderElementsOf(catalog.imagesInFolder(f.id()));
            List<ImageRecord> none = new ArrayList<>();
            catalog.forEachImageInFolder(9999, none::add);
            assertThat(none).isEmpty();
        }
    }
}

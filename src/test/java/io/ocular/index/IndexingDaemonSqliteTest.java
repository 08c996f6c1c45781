package io.ocular.index;

import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import io.ocular.store.SqliteCatalog;
import io.ocular.testing.FakeImageEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The daemon against the real SQLite catalog: first index, nested folders, move, delete, change, skip. */
class IndexingDaemonSqliteTest {

    @TempDir
    Path dir;

    @Test
    void incrementalPassesAgainstTheRealCatalog() throws Exception {
        Path lib = dir.resolve("lib");
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            files.add(TestImages.write(TestImages.seeded(i, 40, 30), "jpg", lib.resolve("s" + (i % 2)).resolve(i + ".jpg")));
        }
        Files.writeString(lib.resolve("readme.jpg"), "text");
        FakeImageEncoder encoder = new FakeImageEncoder();
        try (SqliteCatalog catalog = SqliteCatalog.open(dir.resolve("c.db"));
             IndexingDaemon daemon = new IndexingDaemon(catalog, () -> encoder, new ImageDecoder(),
                     IndexingDaemon.Config.defaults().withWorkers(2).withBatchSize(4))) {
            daemon.addFolder(lib.resolve("s0"));
            assertThat(daemon.awaitIdle(Duration.ofMinutes(1))).isTrue();
            daemon.addFolder(lib); // absorbs s0
            assertThat(daemon.awaitIdle(Duration.ofMinutes(1))).isTrue();
            assertThat(catalog.folders()).hasSize(1);
            assertThat(catalog.countImages(ImageStatus.INDEXED)).isEqualTo(10);
            assertThat(catalog.countImages(ImageStatus.SKIPPED)).isEqualTo(1);
            assertThat(encoder.encodedCount()).isEqualTo(10);

            long movedId = catalog.imageByPath(files.get(0)).orElseThrow().id();
            Path to = lib.resolve("new/zero.jpg");
            Files.createDirectories(to.getParent());
            Files.move(files.get(0), to);
            Files.delete(files.get(1));
            Path changed = files.get(2);
            TestImages.write(TestImages.seeded(77, 40, 30), "jpg", changed);
            Files.setLastModifiedTime(changed, FileTime.fromMillis(Files.getLastModifiedTime(changed).toMillis() + 5000));

            daemon.rescan();
            assertThat(daemon.awaitIdle(Duration.ofMinutes(1))).isTrue();
            assertThat(encoder.encodedCount()).isEqualTo(11);
            ImageRecord moved = catalog.imageByPath(to).orElseThrow();
            assertThat(moved.id()).isEqualTo(movedId);
            assertThat(catalog.embedding(movedId, encoder.modelId())).isPresent();
            assertThat(catalog.imageByPath(files.get(1))).isEmpty();
            assertThat(catalog.countImages(ImageStatus.INDEXED)).isEqualTo(9);
            assertThat(catalog.countEmbeddings(encoder.modelId())).isEqualTo(9);
        }
    }
}

package io.ocular.cli;

import io.ocular.engine.ComputerId;
import io.ocular.model.FolderRecord;
import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import io.ocular.store.PostgresCatalog;
import io.ocular.store.PostgresLocation;
import io.ocular.testing.PostgresServers;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Named library folders: a NAS share added on one computer as one path is reached by another computer through its
 * own mount path ({@code ocular catalog map-folder}); each computer sees the same photos under its own path.
 */
@Tag("postgres")
class SharedFoldersCliTest {

    @TempDir
    Path tmp;

    @Test
    void eachComputerSeesTheSamePhotosUnderItsOwnMount() throws Exception {
        PostgresServers.Server s = PostgresServers.postgres15();
        String url = s.url(s.newDatabase()) + "?user=" + s.user() + "&password=" + s.password();
        PostgresLocation loc = PostgresLocation.parse(url, Map.of(), "x");
        Path onA = Files.createDirectories(tmp.resolve("mnt/photos"));
        Path onB = Files.createDirectories(tmp.resolve("Volumes/photos"));
        long id;
        try (PostgresCatalog a = PostgresCatalog.open(loc, "computer-a")) {
            FolderRecord f = a.addFolder(onA);
            id = a.upsertImage(new ImageRecord(0, f.id(), onA.resolve("2021/beach.jpg"), 1, 1, "h", 1, 1, null, 1,
                    ImageStatus.INDEXED, null)).id();
        }
        Path dataB = tmp.resolve("data-b");
        CliRun listed = CliRun.run("catalog", "map-folder", "--data-dir", dataB.toString(), "--catalog", url);
        assertThat(listed.code()).as(listed.err()).isZero();
        assertThat(listed.out()).contains("photos\t" + onA).contains("1 images"); // unmapped: the adder's path

        CliRun mapped = CliRun.run("catalog", "map-folder", "photos", onB.toString(), "--data-dir", dataB.toString(),
                "--catalog", url);
        assertThat(mapped.code()).as(mapped.err()).isZero();
        assertThat(mapped.out()).contains("'photos' is " + onB + " on this computer (1 images)");

        try (PostgresCatalog b = PostgresCatalog.open(loc, ComputerId.of(dataB));
             PostgresCatalog a = PostgresCatalog.open(loc, "computer-a")) {
            assertThat(b.image(id).orElseThrow().path()).isEqualTo(onB.resolve("2021/beach.jpg"));
            assertThat(b.imageByPath(onB.resolve("2021/beach.jpg"))).map(ImageRecord::id).contains(id);
            assertThat(a.image(id).orElseThrow().path()).isEqualTo(onA.resolve("2021/beach.jpg"));
            assertThat(b.addFolder(onB).id()).as("adding the mount again is the same folder").isEqualTo(
                    a.folders().get(0).id());
            assertThat(b.folders()).hasSize(1);
        }

        CliRun wrong = CliRun.run("catalog", "map-folder", "holidays", onB.toString(), "--data-dir", dataB.toString(),
                "--catalog", url);
        assertThat(wrong.code()).isEqualTo(1);
        assertThat(wrong.err()).contains("no folder named 'holidays'");
        CliRun local = CliRun.run("catalog", "map-folder", "--data-dir", dataB.toString());
        assertThat(local.code()).isEqualTo(1);
        assertThat(local.err()).contains("for a shared library");
    }
}

package io.ocular.cli;

import io.ocular.engine.AppPaths;
import io.ocular.engine.Engine;
import io.ocular.testing.Mounts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** What `ocular status` says about hostile storage: an offline library folder, a read-only data folder. */
class HostileStorageCliTest {
    @TempDir
    Path tmp;

    private static void photos(Path dir, int n) throws Exception {
        Files.createDirectories(dir);
        for (int i = 0; i < n; i++) {
            BufferedImage img = new BufferedImage(24, 16, BufferedImage.TYPE_INT_RGB);
            img.setRGB(i % 24, i % 16, 0xffffff);
            img.setRGB((i * 7) % 24, (i * 3) % 16, 0x00ff00 + i);
            ImageIO.write(img, "png", dir.resolve("p" + i + ".png").toFile());
        }
    }

    private void index(Path data, Path lib) throws Exception {
        try (Engine e = Engine.open(AppPaths.under(data), null)) {
            e.indexer().addFolder(lib);
            assertThat(e.indexer().awaitIdle(Duration.ofSeconds(60))).isTrue();
        }
    }

    @Test
    void statusMarksAnUnreachableLibraryFolderOfflineAndKeepsItsPhotos() throws Exception {
        Path lib = tmp.resolve("usb/Photos");
        photos(lib, 5);
        Path data = tmp.resolve("data");
        index(data, lib);
        CliRun before = CliRun.run((p, m) -> Engine.open(p, m), "status", "--data-dir", data.toString());
        assertThat(before.out()).contains(lib + "  (5 images, 0 skipped)").doesNotContain("OFFLINE");

        try (Stream<Path> s = Files.walk(lib)) { // the drive's mount point stays, empty
            s.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(lib)).forEach(p -> p.toFile().delete());
        }
        CliRun empty = CliRun.run((p, m) -> Engine.open(p, m), "status", "--data-dir", data.toString());
        assertThat(empty.code()).isZero();
        assertThat(empty.out()).contains(lib + "  (5 images, 0 skipped)  OFFLINE: not reachable (drive disconnected?);"
                + " its photos are kept");
        Files.delete(lib); // and gone altogether
        CliRun json = CliRun.run((p, m) -> Engine.open(p, m), "status", "--json", "--data-dir", data.toString());
        assertThat(json.out()).contains("\"images\":5,\"skipped\":0,\"offline\":true");
    }

    @Test
    void aReadOnlyDataFolderGivesAClearMessageAndNoStackTrace() throws Exception {
        Path data = tmp.resolve("data-disk");
        Mounts.requireTmpfs(data, "128m"); // above the 64 MB that indexing keeps free (StorageCheck.of)
        try {
            Path lib = tmp.resolve("photos");
            photos(lib, 3);
            index(data, lib);
            CliRun indexed = CliRun.run((p, m) -> Engine.open(p, m), "status", "--data-dir", data.toString());
            assertThat(indexed.out()).contains(lib + "  (3 images, 0 skipped)");
            assertThat(Mounts.remount(data, "ro")).isTrue();
            CliRun status = CliRun.run((p, m) -> Engine.open(p, m), "status", "--data-dir", data.toString());
            assertThat(status.code()).isNotZero();
            assertThat(status.err()).contains("not writable").contains("Choose another data folder")
                    .doesNotContain("Exception").doesNotContain("\tat ");
            CliRun check = CliRun.run("catalog", "check", "--data-dir", data.toString()); // still readable
            assertThat(check.code()).as(check.out() + check.err()).isZero();
        } finally {
            Mounts.remount(data, "rw");
            Mounts.unmount(data);
        }
    }
}

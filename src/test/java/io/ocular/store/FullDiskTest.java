package io.ocular.store;

import io.ocular.model.FolderRecord;
import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import io.ocular.model.ModelInfo;
import io.ocular.model.ModelKind;
import io.ocular.model.OcularException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Hostile storage: the catalog's disk fills up while images are committed (a 1 MB tmpfs, mounted as root;
 * skipped where mounting is not allowed). The write that does not fit fails with a clear message, the batch
 * is all-or-nothing, the catalog stays intact, and writing works again once there is space.
 */
class FullDiskTest {
    @TempDir
    Path tmp;

    private static boolean run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            boolean ok = p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
            if (!ok) {
                System.err.println(String.join(" ", cmd) + ": " + out);
                try (var fds = java.nio.file.Files.list(Path.of("/proc/self/fd"))) {
                    fds.forEach(fd -> {
                        try {
                            System.err.println("  fd " + fd.getFileName() + " -> " + java.nio.file.Files.readSymbolicLink(fd));
                        } catch (Exception ignored) {
                            // gone
                        }
                    });
                }
                try (var maps = java.nio.file.Files.lines(Path.of("/proc/self/maps"))) {
                    maps.filter(l -> l.contains("ro-disk")).forEach(l -> System.err.println("  map " + l));
                }
            }
            return ok;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void aFullDiskFailsTheBatchCleanlyAndWritingResumesWithSpace() throws Exception {
        Path mount = tmp.resolve("small-disk");
        java.nio.file.Files.createDirectories(mount);
        assumeTrue("root".equals(System.getProperty("user.name"))
                && run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mount.toString()), "cannot mount a tmpfs here");
        try {
            Path file = mount.resolve("catalog.db");
            ModelInfo m = new ModelInfo("m", "M", ModelKind.IMAGE, 256, null);
            int committed = 0;
            OcularException full = null;
            try (SqliteCatalog c = SqliteCatalog.open(file)) {
                c.registerModel(m);
                c.setActiveModelId("m");
                FolderRecord f = c.addFolder(tmp.resolve("photos"));
                for (int batch = 0; batch < 100 && full == null; batch++) {
                    List<ImageRecord> images = new ArrayList<>();
                    List<float[]> vectors = new ArrayList<>();
                    for (int i = 0; i < 20; i++) {
                        int n = batch * 20 + i;
                        images.add(new ImageRecord(0, f.id(), tmp.resolve("photos/" + n + ".jpg"), 1, 1, "h" + n, 1, 1,
                                Instant.EPOCH, 1, ImageStatus.INDEXED, null));
                        vectors.add(new float[256]);
                    }
                    try {
                        c.commitBatch(images, "m", vectors);
                        committed += 20;
                    } catch (OcularException e) {
                        full = e;
                    }
                }
                if (full == null) {
                    fail("1 MB never filled up");
                }
                assertThat(full.getMessage()).contains("full").contains("Free some space");
                assertThat(c.countImages(ImageStatus.INDEXED)).isEqualTo(committed); // the failed batch left nothing
                assertThat(c.countEmbeddings("m")).isEqualTo(committed);
            }
            CatalogCheck.Report r = CatalogCheck.check(file);
            assertThat(r.integrityOk()).as(r.summary()).isTrue();
            assertThat(r.counts()).containsEntry("images", (long) committed);

            assertThat(run("mount", "-o", "remount,size=8m", mount.toString())).isTrue(); // space returns
            try (SqliteCatalog c = SqliteCatalog.open(file)) {
                FolderRecord f = c.folders().get(0);
                c.commitBatch(List.of(new ImageRecord(0, f.id(), tmp.resolve("photos/after.jpg"), 1, 1, "after", 1,
                        1, Instant.EPOCH, 1, ImageStatus.INDEXED, null)), "m", List.of(new float[256]));
                assertThat(c.countImages(ImageStatus.INDEXED)).isEqualTo(committed + 1L);
            }
            assertThat(CatalogCheck.check(file).ok()).isTrue();
        } finally {
            run("umount", "-l", mount.toString());
        }
    }

    @Test
    void aReadOnlyDataFolderGivesAClearMessageAndLosesNothing() throws Exception {
        Path mount = tmp.resolve("ro-disk");
        java.nio.file.Files.createDirectories(mount);
        assumeTrue("root".equals(System.getProperty("user.name"))
                && run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mount.toString()), "cannot mount a tmpfs here");
        try {
            Path file = mount.resolve("catalog.db");
            ModelInfo m = new ModelInfo("m", "M", ModelKind.IMAGE, 4, null);
            try (SqliteCatalog c = SqliteCatalog.open(file)) {
                c.registerModel(m);
                c.setActiveModelId("m");
                FolderRecord f = c.addFolder(tmp.resolve("photos"));
                c.commitBatch(List.of(new ImageRecord(0, f.id(), tmp.resolve("photos/1.jpg"), 1, 1, "h", 1, 1,
                        Instant.EPOCH, 1, ImageStatus.INDEXED, null)), "m", List.of(new float[4]));
            }
            assertThat(run("mount", "-o", "remount,ro", mount.toString())).isTrue(); // the data folder turns read-only
            CatalogCheck.Report readOnly = CatalogCheck.check(file); // still readable and reportable
            assertThat(readOnly.integrityOk()).as(readOnly.summary()).isTrue();
            try {
                SqliteCatalog.open(file).close();
                fail("opened a catalog on a read-only disk for writing");
            } catch (OcularException e) {
                assertThat(e.getMessage()).contains("not writable").contains("Choose another data folder");
            }
            assertThat(run("mount", "-o", "remount,rw", mount.toString())).isTrue();
            CatalogCheck.Report r = CatalogCheck.check(file);
            assertThat(r.ok()).as(r.summary()).isTrue();
            assertThat(r.counts()).containsEntry("images", 1L).containsEntry("vectors", 1L);
        } finally {
            run("umount", "-l", mount.toString());
        }
    }
}

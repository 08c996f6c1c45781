package io.ocular.cli;

import io.ocular.model.FolderRecord;
import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import io.ocular.model.ModelInfo;
import io.ocular.model.ModelKind;
import io.ocular.store.CatalogBackups;
import io.ocular.store.SqliteCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ocular catalog check|backup|restore} on a real catalog file, damaged and restored. */
class CatalogCliTest {
    @TempDir
    Path tmp;

    private Path makeCatalog(Path data, int n) {
        ModelInfo m = new ModelInfo("m", "M", ModelKind.IMAGE, 4, null);
        try (SqliteCatalog c = SqliteCatalog.open(data.resolve("catalog.db"))) {
            c.registerModel(m);
            c.setActiveModelId("m");
            FolderRecord f = c.addFolder(tmp.resolve("photos"));
            List<ImageRecord> images = new ArrayList<>();
            List<float[]> vectors = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                images.add(new ImageRecord(0, f.id(), tmp.resolve("photos/" + i + ".jpg"), 10, 1, "h" + i, 4, 4,
                        Instant.EPOCH, 1, ImageStatus.INDEXED, null));
                vectors.add(new float[]{i, 1, 2, 3});
            }
            c.commitBatch(images, "m", vectors);
        }
        return data.resolve("catalog.db");
    }

    @Test
    void checkBackupDamageRestore() throws Exception {
        Path data = tmp.resolve("my data");
        Path file = makeCatalog(data, 300);
        String dir = data.toString();

        CliRun ok = CliRun.run("catalog", "check", "--data-dir", dir);
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("Result:  ok").contains("images: 300");

        CliRun backup = CliRun.run("catalog", "backup", "--data-dir", dir, "--json");
        assertThat(backup.code()).as(backup.err()).isZero();
        assertThat(backup.out()).contains(CatalogBackups.FOLDER);

        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(0);
            raf.write(new byte[100]); // the header: SQLite no longer recognises the file
        }
        CliRun bad = CliRun.run("catalog", "check", "--data-dir", dir);
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.out()).contains("unreadable").contains("ocular catalog restore --latest --data-dir '" + dir + "'");

        CliRun status = CliRun.run((paths, model) -> io.ocular.engine.Engine.open(paths, model),
                "status", "--data-dir", dir);
        assertThat(status.code()).isEqualTo(1);
        assertThat(status.err()).contains("damaged").contains("newest good backup")
                .contains("run: ocular catalog restore --latest --data-dir '" + dir + "'");

        CliRun restore = CliRun.run("catalog", "restore", "--latest", "--data-dir", dir);
        assertThat(restore.code()).as(restore.err()).isZero();
        assertThat(restore.out()).contains("300 images, 300 vectors").contains("moved to");
        try (SqliteCatalog c = SqliteCatalog.open(file)) {
            assertThat(c.countImages(ImageStatus.INDEXED)).isEqualTo(300);
            assertThat(c.countEmbeddings("m")).isEqualTo(300);
        }
        assertThat(CliRun.run("catalog", "check", "--data-dir", dir).code()).isZero();
    }

    @Test
    void restoreNeedsASourceAndAGoodBackup() {
        Path data = tmp.resolve("d");
        makeCatalog(data, 2);
        CliRun none = CliRun.run("catalog", "restore", "--data-dir", data.toString());
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).contains("--from").contains("--latest");
        CliRun noBackup = CliRun.run("catalog", "restore", "--latest", "--data-dir", data.toString());
        assertThat(noBackup.code()).isEqualTo(1);
        assertThat(noBackup.err()).contains("no good backup");
        CliRun missing = CliRun.run("catalog", "restore", "--from", tmp.resolve("x.db").toString(),
                "--data-dir", data.toString());
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("no backup file");
        assertThat(Files.exists(data.resolve("catalog.db"))).isTrue();
    }

    @Test
    void helpDescribesEachSubcommand() {
        CliRun help = CliRun.run("catalog", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("check").contains("backup").contains("restore");
        assertThat(CliRun.run("catalog", "restore", "--help").out()).contains("--latest").contains("--from")
                .contains("never deleted");
        assertThat(CliRun.run("catalog", "check", "--help").out()).contains("integrity_check");
    }

    @Test
    void restoreRefusesWhileTheWindowHoldsTheDataFolder() throws Exception {
        Path data = tmp.resolve("w");
        makeCatalog(data, 2);
        assertThat(CliRun.run("catalog", "backup", "--data-dir", data.toString()).code()).isZero();
        try (var ch = java.nio.channels.FileChannel.open(data.resolve(io.ocular.engine.InstanceLock.FILE),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
             var lock = ch.lock()) {
            CliRun r = CliRun.run("catalog", "restore", "--latest", "--data-dir", data.toString());
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err()).contains("window is open").contains("close it");
        }
        assertThat(CliRun.run("catalog", "restore", "--latest", "--data-dir", data.toString()).code()).isZero();
    }
}

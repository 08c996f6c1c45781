package io.ocular.store;

import io.ocular.model.FolderRecord;
import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import io.ocular.model.OcularException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;

import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.ocular.store.CatalogFixtures.MODEL_A;
import static io.ocular.store.CatalogFixtures.image;
import static io.ocular.store.CatalogFixtures.randomVector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CatalogBackupsTest {
    @TempDir
    Path tmp;

    /** A mutable clock for the schedule and the backup names. */
    static final class TestClock extends Clock {
        Instant now = Instant.parse("2026-11-30T10:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private Path catalogWith(int images) {
        Path file = tmp.resolve("data/catalog.db");
        try (SqliteCatalog c = SqliteCatalog.open(file)) {
            c.registerModel(MODEL_A);
            c.setActiveModelId(MODEL_A.id());
            FolderRecord f = c.addFolder(tmp.resolve("photos"));
            Random r = new Random(3);
            List<ImageRecord> batch = new ArrayList<>();
            List<float[]> vectors = new ArrayList<>();
            for (int i = 0; i < images; i++) {
                batch.add(image(f.id(), tmp.resolve("photos/" + i + ".jpg"), "h" + i, ImageStatus.INDEXED));
                vectors.add(randomVector(r, 8));
            }
            c.commitBatch(batch, MODEL_A.id(), vectors);
        }
        return file;
    }

    @Test
    void corruptCatalogIsReportedThenRestoredWithItsCounts() throws Exception {
        Path file = catalogWith(400);
        TestClock clock = new TestClock();
        CatalogBackups backups = new CatalogBackups(file, 3, clock);
        CatalogBackups.Backup b = backups.backupNow("manual");
        assertThat(CatalogCheck.check(file).ok()).isTrue();

        overwrite(file, 3 * 4096, (int) Files.size(file) - 3 * 4096); // damage every page after the third
        CatalogCheck.Report damaged = CatalogCheck.check(file);
        assertThat(damaged.ok()).isFalse();
        assertThat(damaged.summary()).containsAnyOf("damaged", "unreadable");

        CatalogBackups.Restored r = backups.restore(backups.newestGood().orElseThrow().file());
        assertThat(r.from().file()).isEqualTo(b.file());
        assertThat(r.replacedMovedTo()).isPresent();
        assertThat(r.replacedMovedTo().get().resolve("catalog.db")).exists(); // nothing deleted
        assertThat(CatalogCheck.check(file).ok()).isTrue();
        try (SqliteCatalog c = SqliteCatalog.open(file)) {
            assertThat(c.countImages(ImageStatus.INDEXED)).isEqualTo(400);
            assertThat(c.countEmbeddings(MODEL_A.id())).isEqualTo(400);
        }
    }

    @Test
    void catalogTooDamagedToOpenNamesTheNewestGoodBackup() throws Exception {
        Path file = catalogWith(10);
        CatalogBackups backups = new CatalogBackups(file, 3, new TestClock());
        CatalogBackups.Backup b = backups.backupNow("manual");
        overwrite(file, 0, 100);

        assertThatThrownBy(() -> SqliteCatalog.open(file))
                .isInstanceOfSatisfying(CatalogDamagedException.class, e -> {
                    assertThat(e.newestGoodBackup()).map(CatalogBackups.Backup::file).contains(b.file());
                    assertThat(e.getMessage()).contains("ocular catalog restore --latest").contains("left it as it is");
                });
        backups.restore(b.file());
        try (SqliteCatalog c = SqliteCatalog.open(file)) {
            assertThat(c.countImages(ImageStatus.INDEXED)).isEqualTo(10);
        }
    }

    @Test
    void damagedCatalogWithoutBackupsSaysSo() throws Exception {
        Path file = catalogWith(3);
        overwrite(file, 0, 100);
        assertThatThrownBy(() -> SqliteCatalog.open(file))
                .isInstanceOfSatisfying(CatalogDamagedException.class,
                        e -> assertThat(e.newestGoodBackup()).isEmpty())
                .hasMessageContaining("no good backup");
    }

    @Test
    void keepsTheNewestNAndNeverReplacesThemWithADamagedCopy() throws Exception {
        Path file = catalogWith(50);
        TestClock clock = new TestClock();
        CatalogBackups backups = new CatalogBackups(file, 3, clock);
        List<Path> made = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            made.add(backups.backupNow("scheduled").file());
            clock.now = clock.now.plus(Duration.ofHours(1));
        }
        assertThat(backups.list()).extracting(CatalogBackups.Backup::file)
                .containsExactly(made.get(4), made.get(3), made.get(2));

        overwrite(file, 2 * 4096, (int) Files.size(file) - 2 * 4096);
        assertThatThrownBy(() -> backups.backupNow("scheduled")).isInstanceOf(OcularException.class)
                .hasMessageContaining("damaged").hasMessageContaining("kept");
        assertThat(backups.list()).extracting(CatalogBackups.Backup::file)
                .containsExactly(made.get(4), made.get(3), made.get(2));
        try (var s = Files.list(backups.directory())) {
            assertThat(s.filter(p -> p.toString().endsWith(".tmp"))).isEmpty();
        }
    }

    @Test
    void restoreRefusesADamagedBackupAndLeavesTheCatalogAlone() throws Exception {
        Path file = catalogWith(20);
        CatalogBackups backups = new CatalogBackups(file, 3, new TestClock());
        Path b = backups.backupNow("manual").file();
        overwrite(b, 2 * 4096, (int) Files.size(b) - 2 * 4096);
        byte[] before = Files.readAllBytes(file);
        assertThatThrownBy(() -> backups.restore(b)).isInstanceOf(OcularException.class)
                .hasMessageContaining("cannot be restored");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        assertThat(backups.newestGood()).isEmpty();
        Path notACatalog = Files.writeString(tmp.resolve("notes.db"), "hello");
        assertThatThrownBy(() -> backups.restore(notACatalog)).isInstanceOf(OcularException.class);
        assertThatThrownBy(() -> backups.restore(tmp.resolve("missing.db"))).hasMessageContaining("no backup file");
    }

    @Test
    void migrationIsPrecededByABackupOfTheOldSchema() throws Exception {
        Path file = tmp.resolve("data/catalog.db");
        Files.createDirectories(file.getParent());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            new Migrations().migrateTo(c, 1, file.toString());
        }
        try (SqliteCatalog c = SqliteCatalog.open(file)) {
            assertThat(c.stats()).isNotNull();
        }
        List<CatalogBackups.Backup> list = CatalogBackups.of(file).list();
        assertThat(list).hasSize(1);
        assertThat(list.get(0).reason()).isEqualTo("before-v" + new Migrations().latestVersion());
        assertThat(CatalogCheck.check(list.get(0).file()).schemaVersion()).isEqualTo(1);
        // opening again (nothing to migrate) and a brand-new catalog make no backup
        SqliteCatalog.open(file).close();
        SqliteCatalog.open(tmp.resolve("fresh/catalog.db")).close();
        assertThat(CatalogBackups.of(file).list()).hasSize(1);
        assertThat(tmp.resolve("fresh/" + CatalogBackups.FOLDER)).doesNotExist();
    }

    @Test
    void scheduleBacksUpOnlyWhenTheNewestIsOlderThanTheInterval() {
        Path file = catalogWith(5);
        TestClock clock = new TestClock();
        CatalogBackups backups = new CatalogBackups(file, 3, clock);
        BackupSchedule schedule = BackupSchedule.manual(backups, Duration.ofHours(24));
        assertThat(schedule.runIfDue()).isPresent();
        clock.now = clock.now.plus(Duration.ofHours(23));
        assertThat(schedule.runIfDue()).isEmpty();
        clock.now = clock.now.plus(Duration.ofHours(2));
        assertThat(schedule.runIfDue()).isPresent();
        assertThat(backups.list()).hasSize(2);
    }

    @Test
    void checkFindsOrphanVectorsAndIndexedImagesWithoutAVector() throws Exception {
        Path file = catalogWith(6);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            st.execute("PRAGMA foreign_keys = OFF");
            st.executeUpdate("INSERT INTO embeddings(image_id, model_id, vector) VALUES (9999, 'model-a', x'00')");
            st.executeUpdate("DELETE FROM embeddings WHERE image_id = (SELECT MIN(id) FROM images)");
        }
        CatalogCheck.Report r = CatalogCheck.check(file);
        assertThat(r.integrityOk()).isTrue();
        assertThat(r.ok()).isFalse();
        assertThat(r.problems()).containsEntry("orphan vectors", 1L)
                .containsEntry("indexed images without a vector", 1L)
                .containsEntry("duplicate image paths", 0L)
                .containsEntry("foreign key violations", 1L);
        assertThat(r.summary()).contains("1 orphan vectors").contains("1 indexed images without a vector");
        assertThat(r.counts()).containsEntry("images", 6L).containsEntry("vectors", 6L);
    }

    static void overwrite(Path file, long offset, int length) throws IOException {
        byte[] junk = new byte[Math.max(0, length)];
        new Random(42).nextBytes(junk);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            raf.write(junk);
        }
    }

}

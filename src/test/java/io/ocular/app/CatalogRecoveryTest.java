package io.ocular.app;

import io.ocular.model.FolderRecord;
import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import io.ocular.store.CatalogBackups;
import io.ocular.store.CatalogDamagedException;
import io.ocular.store.SqliteCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CatalogRecoveryTest {
    @TempDir
    Path tmp;

    /** Records what was asked and answers with {@code restore}. */
    static final class FakeAsker implements CatalogRecovery.Asker {
        final boolean restore;
        final List<String> asked = new ArrayList<>();

        FakeAsker(boolean restore) {
            this.restore = restore;
        }

        @Override
        public boolean offerRestore(String title, String message, String restoreLabel) {
            asked.add("offer: " + message + " [" + restoreLabel + "]");
            return restore;
        }

        @Override
        public void tell(String title, String message) {
            asked.add("tell: " + message);
        }
    }

    private Path damagedCatalogWithBackup(boolean withBackup) throws Exception {
        Path file = tmp.resolve("data/catalog.db");
        try (SqliteCatalog c = SqliteCatalog.open(file)) {
            FolderRecord f = c.addFolder(tmp.resolve("photos"));
            for (int i = 0; i < 5; i++) {
                c.upsertImage(new ImageRecord(0, f.id(), tmp.resolve("photos/" + i + ".jpg"), 1, 1, null, 1, 1,
                        Instant.EPOCH, 1, ImageStatus.PENDING, null));
            }
        }
        if (withBackup) {
            CatalogBackups.of(file).backupNow("scheduled");
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.write(new byte[100]);
        }
        return file;
    }

    @Test
    void offersTheNewestBackupAndOpensTheRestoredCatalog() throws Exception {
        Path file = damagedCatalogWithBackup(true);
        FakeAsker yes = new FakeAsker(true);
        try (SqliteCatalog c = CatalogRecovery.open(() -> SqliteCatalog.open(file), file, yes)) {
            assertThat(c.countImages(ImageStatus.PENDING)).isEqualTo(5);
        }
        assertThat(yes.asked).singleElement().asString()
                .contains("cannot read its catalog").contains("newest good backup is from")
                .contains("Restore it?").contains("[Restore backup]");
    }

    @Test
    void aKoreanWindowAsksInKorean() throws Exception {
        Path file = damagedCatalogWithBackup(true);
        FakeAsker yes = new FakeAsker(true);
        try (SqliteCatalog c = CatalogRecovery.open(() -> SqliteCatalog.open(file), file, yes,
                io.ocular.ui.common.Messages.of(java.util.Locale.KOREAN))) {
            assertThat(c.countImages(ImageStatus.PENDING)).isEqualTo(5);
        }
        assertThat(yes.asked).singleElement().asString()
                .contains("카탈로그").contains("가장 최근의 정상 백업은").contains("[백업 복원]")
                .contains(file.getFileName().toString());
    }

    @Test
    void decliningChangesNothing() throws Exception {
        Path file = damagedCatalogWithBackup(true);
        byte[] before = java.nio.file.Files.readAllBytes(file);
        assertThatThrownBy(() -> CatalogRecovery.open(() -> SqliteCatalog.open(file), file, new FakeAsker(false)))
                .isInstanceOf(CatalogDamagedException.class);
        assertThat(java.nio.file.Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void withoutABackupTheUserIsToldWhatToDo() throws Exception {
        Path file = damagedCatalogWithBackup(false);
        FakeAsker asker = new FakeAsker(true);
        assertThatThrownBy(() -> CatalogRecovery.open(() -> SqliteCatalog.open(file), file, asker))
                .isInstanceOf(CatalogDamagedException.class);
        assertThat(asker.asked).singleElement().asString().startsWith("tell:").contains("move it away");
    }
}

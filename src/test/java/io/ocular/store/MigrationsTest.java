package io.ocular.store;

import io.ocular.model.FolderRecord;
import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import io.ocular.model.ModelInfo;
import io.ocular.model.ModelKind;
import io.ocular.model.OcularException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MigrationsTest {

    @TempDir
    Path tmp;

    private final Migrations migrations = new Migrations();

    @Test
    void versionsAreContiguousAndANewDatabaseReachesTheLatest() throws Exception {
        Path db = tmp.resolve("new.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            assertThat(Migrations.currentVersion(c)).isZero();
            migrations.migrate(c, "test");
            assertThat(Migrations.currentVersion(c)).isEqualTo(migrations.latestVersion()).isGreaterThanOrEqualTo(2);
            assertThat(tables(c)).contains("folders", "images", "models", "embeddings", "settings", "image_data");
            migrations.migrate(c, "test"); // idempotent
            assertThat(Migrations.currentVersion(c)).isEqualTo(migrations.latestVersion());
        }
    }

    @Test
    void aVersion1CatalogIsUpgradedWithItsDataIntact() throws Exception {
        Path db = tmp.resolve("catalog.db");
        Path photos = tmp.resolve("fotos ä");
        float[] vector = {0.5f, -1.25f, 3e-7f};
        // Build a database exactly as Ocular with schema version 1 left it, with raw SQL.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            st.execute("PRAGMA foreign_keys = ON");
            migrations.migrateTo(c, 1, "test");
            assertThat(Migrations.currentVersion(c)).isEqualTo(1);
            assertThat(tables(c)).doesNotContain("image_data");
            st.executeUpdate("INSERT INTO folders(id, path, added_at) VALUES (1, '" + photos + "', 1000)");
            st.executeUpdate("INSERT INTO images(id, folder_id, path, size, mtime, content_hash, width, height,"
                    + " taken_at, orientation, status, skip_reason) VALUES (7, 1, '" + photos.resolve("a.jpg")
                    + "', 10, 20, 'hash', 30, 40, 50, 6, 'INDEXED', NULL), (8, 1, '" + photos.resolve("b.gif")
                    + "', 1, 2, NULL, 0, 0, NULL, 1, 'SKIPPED', 'not a photo')");
            st.executeUpdate("INSERT INTO models VALUES ('m', 'M', 'IMAGE', 3, 'sha')");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO embeddings VALUES (7, 'm', ?)")) {
                ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
                for (float f : vector) {
                    b.putFloat(f);
                }
                ps.setBytes(1, b.array());
                ps.executeUpdate();
            }
            st.executeUpdate("INSERT INTO settings VALUES ('catalog.active-model-id', 'm'), ('k', 'v')");
        }

        try (SqliteCatalog catalog = SqliteCatalog.open(db)) {
            assertThat(catalog.stats().schemaVersion()).isEqualTo(migrations.latestVersion());
            assertThat(catalog.folders()).containsExactly(new FolderRecord(1, photos, Instant.ofEpochMilli(1000), 2, 1));
            assertThat(catalog.image(7)).contains(new ImageRecord(7, 1, photos.resolve("a.jpg"), 10, 20, "hash", 30,
                    40, Instant.ofEpochMilli(50), 6, ImageStatus.INDEXED, null));
            assertThat(catalog.skippedImages(10)).extracting(ImageRecord::skipReason).containsExactly("not a photo");
            assertThat(catalog.models()).containsExactly(new ModelInfo("m", "M", ModelKind.IMAGE, 3, "sha"));
            assertThat(catalog.activeModelId()).contains("m");
            assertThat(catalog.setting("k")).contains("v");
            EmbeddingMatrix m = catalog.loadEmbeddings("m");
            assertThat(m.ids()).containsExactly(7L);
            assertThat(m.data()).containsExactly(vector);
            // and the V2 table works
            catalog.putImageData(7, "delf", new byte[]{1});
            assertThat(catalog.countImageData("delf")).isEqualTo(1);
        }
    }

    @Test
    void aCatalogFromANewerOcularIsRefusedAndLeftUntouched() throws Exception {
        Path db = tmp.resolve("catalog.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            migrations.migrate(c, "test");
            st.executeUpdate("CREATE TABLE future_stuff(x)");
            st.executeUpdate("PRAGMA user_version = " + (migrations.latestVersion() + 1));
        }
        byte[] before = Files.readAllBytes(db);
        List<Path> filesBefore = list(tmp);

        assertThatThrownBy(() -> SqliteCatalog.open(db))
                .isInstanceOf(OcularException.class)
                .hasMessageContaining("catalog " + db + " was created by a newer Ocular")
                .hasMessageContaining("left untouched");

        assertThat(Files.readAllBytes(db)).isEqualTo(before);
        assertThat(list(tmp)).isEqualTo(filesBefore); // no -wal / -shm left behind either
    }

    private static List<String> tables(Connection c) throws Exception {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static List<Path> list(Path dir) throws Exception {
        try (var s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}

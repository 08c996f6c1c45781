package io.ocular.store;

import io.ocular.model.FolderRecord;
import io.ocular.model.OcularException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.ocular.store.CatalogFixtures.MODEL_A;
import static io.ocular.store.CatalogFixtures.image;
import static io.ocular.store.CatalogFixtures.randomVector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Files that are not catalogs, damaged catalogs and places a catalog cannot be written. */
class SqliteCatalogBadInputTest {

    @TempDir
    Path tmp;

    @Test
    void aFileThatIsNotSqliteIsRefusedAndNotOverwritten() throws Exception {
        Path db = tmp.resolve("catalog.db");
        byte[] junk = new byte[64 * 1024];
        new Random(1).nextBytes(junk);
        Files.write(db, junk);

        assertThatThrownBy(() -> SqliteCatalog.open(db))
                .isInstanceOf(OcularException.class)
                .hasMessageContaining(db.toString())
                .hasMessageContaining("damaged or is not an Ocular catalog");
        assertThat(Files.readAllBytes(db)).isEqualTo(junk);
    }

    @Test
    void aTextFileIsRefusedAndNotOverwritten() throws Exception {
        Path db = tmp.resolve("catalog.db");
        byte[] text = "my shopping list: milk, eggs\n".repeat(200).getBytes(StandardCharsets.UTF_8);
        Files.write(db, text);

        assertThatThrownBy(() -> SqliteCatalog.open(db)).isInstanceOf(OcularException.class)
                .hasMessageContaining("not an Ocular catalog");
        assertThat(Files.readAllBytes(db)).isEqualTo(text);
    }

    @Test
    void anotherApplicationsSqliteDatabaseIsRefusedAndNotModified() throws Exception {
        Path db = tmp.resolve("catalog.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            st.executeUpdate("CREATE TABLE recipes(name TEXT)");
            st.executeUpdate("INSERT INTO recipes VALUES ('pancakes')");
        }
        byte[] before = Files.readAllBytes(db);

        assertThatThrownBy(() -> SqliteCatalog.open(db)).isInstanceOf(OcularException.class)
                .hasMessageContaining("not an Ocular catalog").hasMessageContaining("untouched");
        assertThat(Files.readAllBytes(db)).isEqualTo(before);
    }

    @Test
    void aTruncatedCatalogFailsWithAClearMessageNotACrash() throws Exception {
        Path db = tmp.resolve("catalog.db");
        try (SqliteCatalog catalog = SqliteCatalog.open(db)) {
            catalog.registerModel(MODEL_A);
            FolderRecord f = catalog.addFolder(tmp.resolve("photos"));
            Random r = new Random(2);
            for (int batch = 0; batch < 20; batch++) {
                List<io.ocular.model.ImageRecord> images = new ArrayList<>();
                List<float[]> vectors = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    images.add(image(f.id(), tmp.resolve("photos/" + batch + "/" + i + ".jpg")));
                    vectors.add(randomVector(r, 8));
                }
                catalog.commitBatch(images, MODEL_A.id(), vectors);
            }
        }
        long size = Files.size(db);
        try (FileChannel ch = FileChannel.open(db, StandardOpenOption.WRITE)) {
            ch.truncate(size / 2);
        }

        assertThatThrownBy(() -> {
            try (SqliteCatalog catalog = SqliteCatalog.open(db)) {
                catalog.folders();
                catalog.loadEmbeddings(MODEL_A.id());
                catalog.imagesWithoutEmbedding(MODEL_A.id());
            }
        }).isInstanceOf(OcularException.class).hasMessageContaining("damaged");
    }

    @Test
    void aCatalogBelowAFileCannotBeCreated() throws Exception {
        Path notADir = Files.writeString(tmp.resolve("data"), "I am a file");

        assertThatThrownBy(() -> SqliteCatalog.open(notADir.resolve("catalog.db")))
                .isInstanceOf(OcularException.class)
                .hasMessageContaining("Cannot create the folder " + notADir)
                .hasMessageContaining("is a file, not a folder");
        assertThat(Files.readString(notADir)).isEqualTo("I am a file");
    }

    @Test
    void aReadOnlyDataFolderIsReportedClearly() throws Exception {
        assumeTrue(tmp.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
        Path dir = Files.createDirectories(tmp.resolve("readonly"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeFalse(Files.isWritable(dir), "the user can write anywhere (root)");
            assertThatThrownBy(() -> SqliteCatalog.open(dir.resolve("catalog.db")))
                    .isInstanceOf(OcularException.class)
                    .hasMessageContaining("Cannot write the catalog in " + dir).hasMessageContaining("not writable");
        } finally {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void aFolderInPlaceOfTheCatalogFileIsRefused() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("catalog.db"));
        assertThatThrownBy(() -> SqliteCatalog.open(dir))
                .isInstanceOf(OcularException.class).hasMessageContaining("is a folder");
    }

    @Test
    void aMissingDataFolderIsCreated() {
        Path db = tmp.resolve("a/b/c/catalog.db");
        try (SqliteCatalog catalog = SqliteCatalog.open(db)) {
            catalog.putSetting("k", "v");
        }
        assertThat(db).isRegularFile();
    }
}

package io.ocular.store;

import io.ocular.model.FolderRecord;
import io.ocular.model.ImageStatus;
import io.ocular.testing.PostgresServers;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Properties;

import static io.ocular.store.CatalogFixtures.image;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The catalog contract ({@link SqliteCatalogTest}) against the shared library on a real PostgreSQL 15 started by
 * the test (bytea mode: Debian's PostgreSQL 15 has no pgvector). Each test works in a schema of its own.
 */
@Tag("postgres")
class PostgresCatalogTest extends SqliteCatalogTest {

    private String url;

    PostgresServers.Server server() {
        return PostgresServers.postgres15();
    }

    /** The location of this test's library (a fresh schema, created on first use). */
    PostgresLocation location() {
        PostgresServers.Server s = server();
        if (url == null) {
            url = s.newSchemaUrl();
        }
        return PostgresLocation.parse(url + "&user=" + s.user() + "&password=" + s.password(), java.util.Map.of(), "x");
    }

    @Override
    Catalog openCatalog() {
        return PostgresCatalog.open(location(), "computer-a");
    }

    @Override
    int latestSchemaVersion() {
        return new PostgresMigrations().latestVersion();
    }

    @Test
    @Override
    void readersAreNotBlockedByAnOpenWriteTransactionAndSeeOnlyCommittedData() throws Exception {
        FolderRecord f = catalog.addFolder(photos);
        catalog.upsertImage(image(f.id(), photos.resolve("committed.jpg")));
        PostgresLocation loc = location();
        Properties props = loc.properties();
        // another computer holds a write transaction with uncommitted rows
        try (Connection other = DriverManager.getConnection(loc.url(), props); Statement st = other.createStatement()) {
            other.setAutoCommit(false);
            st.executeUpdate("INSERT INTO images(folder_id, rel_path, size, mtime, status) VALUES ("
                    + f.id() + ", 'uncommitted.jpg', 1, 1, 'PENDING')");

            assertThat(catalog.countImages(ImageStatus.PENDING)).isEqualTo(1);
            assertThat(catalog.imagesInFolder(f.id())).hasSize(1);

            other.commit();
        }
        assertThat(catalog.countImages(ImageStatus.PENDING)).isEqualTo(2);
        assertThat(catalog.imageByPath(photos.resolve("uncommitted.jpg"))).isPresent();
    }
}

package io.ocular.store;

import io.ocular.model.FolderRecord;
import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import io.ocular.model.SearchScope;
import io.ocular.testing.InMemoryCatalog;
import io.ocular.testing.PostgresServers;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.BitSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

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
    void scopesOfFoldersAndDatesAgreeWithTheDefaultWalk() {
        Catalog walk = new InMemoryCatalog(); // the interface's default imageIdsIn, over the same photos
        Instant t = Instant.parse("2020-03-01T12:00:00Z");
        String[] names = {"a/x.jpg", "a/deep/y.jpg", "ab/z.jpg", "a/broken.jpg", "b/w.jpg", "top.jpg"};
        for (Catalog c : List.of(catalog, walk)) {
            FolderRecord lib = c.addFolder(photos);
            for (int i = 0; i < names.length; i++) {
                c.upsertImage(new ImageRecord(0, lib.id(), photos.resolve(names[i]), 10, t.toEpochMilli() + i, null,
                        4, 4, i % 2 == 0 ? t.plusSeconds(86_400L * 30 * i) : null, 1,
                        i == 3 ? ImageStatus.SKIPPED : ImageStatus.INDEXED, null));
            }
        }
        List<SearchScope> scopes = List.of(SearchScope.ALL,
                new SearchScope(Set.of(photos.resolve("a")), null, null, Set.of()),
                new SearchScope(Set.of(photos), t.plusSeconds(86_400), null, Set.of()),
                new SearchScope(Set.of(photos.resolve("a"), photos.resolve("b")), null, t.plusSeconds(86_400L * 100),
                        Set.of()),
                new SearchScope(Set.of(tmp.resolve("elsewhere")), null, null, Set.of()));
        for (SearchScope scope : scopes) {
            assertThat(paths(catalog, catalog.imageIdsIn(scope))).as("%s", scope)
                    .isEqualTo(paths(walk, walk.imageIdsIn(scope)));
        }
        assertThat(paths(catalog, catalog.imageIdsIn(scopes.get(1))))
                .containsExactlyInAnyOrder(photos.resolve("a/x.jpg"), photos.resolve("a/deep/y.jpg"));
    }

    private static Set<Path> paths(Catalog c, BitSet ids) {
        return ids.stream().mapToObj(id -> c.image(id).orElseThrow().path()).collect(Collectors.toSet());
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

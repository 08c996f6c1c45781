package io.ocular.store;

import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import io.ocular.model.SearchScope;
import io.ocular.testing.InMemoryCatalog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link Catalog#imageIdsIn}: the photos a search's folders and dates narrow to. SQLite answers with one query
 * (folders as path ranges); the interface's default walks the folders; both must agree.
 */
class CatalogScopeTest {
    @TempDir
    Path tmp;
    private SqliteCatalog sqlite;

    @AfterEach
    void close() {
        if (sqlite != null) {
            sqlite.close();
        }
    }

    /** Fills the catalog; returns the ids by file name. */
    private static Map<String, Long> fill(Catalog c, Path root) {
        long lib = c.addFolder(root).id();
        Map<String, Long> ids = new HashMap<>();
        add(c, ids, lib, root.resolve("a/x.jpg"), Instant.parse("2020-03-01T12:00:00Z"), 0, ImageStatus.INDEXED);
        add(c, ids, lib, root.resolve("a/deep/y.jpg"), null, Instant.parse("2021-07-01T12:00:00Z").toEpochMilli(),
                ImageStatus.PENDING);
        add(c, ids, lib, root.resolve("ab/z.jpg"), Instant.parse("2020-03-02T12:00:00Z"), 0, ImageStatus.INDEXED);
        add(c, ids, lib, root.resolve("a/broken.jpg"), Instant.parse("2020-03-01T12:00:00Z"), 0, ImageStatus.SKIPPED);
        add(c, ids, lib, root.resolve("b/w.jpg"), Instant.parse("2019-12-31T23:59:59Z"), 0, ImageStatus.INDEXED);
        return ids;
    }

    private static void add(Catalog c, Map<String, Long> ids, long folder, Path path, Instant taken, long mtime,
                            ImageStatus status) {
        ImageRecord r = c.upsertImage(new ImageRecord(0, folder, path, 10, mtime, null, 4, 4, taken, 1, status,
                status == ImageStatus.SKIPPED ? "not an image" : null));
        ids.put(path.getFileName().toString(), r.id());
    }

    private static BitSet bits(Map<String, Long> ids, String... names) {
        BitSet b = new BitSet();
        for (String n : names) {
            b.set(Math.toIntExact(ids.get(n)));
        }
        return b;
    }

    private void checkBoth(Path root, SearchScope scope, String... expected) {
        if (sqlite == null) {
            sqlite = SqliteCatalog.open(tmp.resolve("data/catalog.db"));
        }
        Map<String, Long> sq = sqlite.folders().isEmpty() ? fill(sqlite, root) : names(sqlite);
        assertThat(sqlite.imageIdsIn(scope)).as("SQLite, %s", scope).isEqualTo(bits(sq, expected));
        InMemoryCatalog mem = new InMemoryCatalog();
        Map<String, Long> im = fill(mem, root);
        assertThat(mem.imageIdsIn(scope)).as("default, %s", scope).isEqualTo(bits(im, expected));
    }

    private static Map<String, Long> names(Catalog c) {
        Map<String, Long> out = new HashMap<>();
        c.folders().forEach(f -> c.imagesInFolder(f.id()).forEach(r -> out.put(r.path().getFileName().toString(), r.id())));
        return out;
    }

    @Test
    void foldersIncludeTheirSubFoldersButNotSiblingsThatShareAPrefix() {
        Path root = tmp.resolve("photos");
        checkBoth(root, new SearchScope(Set.of(root.resolve("a")), null, null, Set.of()), "x.jpg", "y.jpg");
        checkBoth(root, new SearchScope(Set.of(root.resolve("a/deep")), null, null, Set.of()), "y.jpg");
        checkBoth(root, new SearchScope(Set.of(root.resolve("ab"), root.resolve("b")), null, null, Set.of()),
                "z.jpg", "w.jpg");
        checkBoth(root, new SearchScope(Set.of(root.resolve("nowhere")), null, null, Set.of()));
        checkBoth(root, SearchScope.ALL, "x.jpg", "y.jpg", "z.jpg", "w.jpg");
    }

    @Test
    void datesUseTheDateTakenElseTheFileTimeFromInclusiveUntilExclusive() {
        Path root = tmp.resolve("photos");
        Instant y2020 = Instant.parse("2020-01-01T00:00:00Z");
        Instant y2021 = Instant.parse("2021-01-01T00:00:00Z");
        checkBoth(root, new SearchScope(Set.of(), y2020, y2021, Set.of()), "x.jpg", "z.jpg");
        checkBoth(root, new SearchScope(Set.of(), y2021, null, Set.of()), "y.jpg");
        checkBoth(root, new SearchScope(Set.of(), null, y2020, Set.of()), "w.jpg");
        checkBoth(root, new SearchScope(Set.of(root.resolve("a")), y2020, y2021, Set.of()), "x.jpg");
        checkBoth(root, new SearchScope(Set.of(), null, Instant.parse("2020-03-01T12:00:00Z"), Set.of()), "w.jpg");
    }

    @Test
    void aRangeThatEndsBeforeItStartsIsRefused() {
        assertThatThrownBy(() -> new SearchScope(Set.of(), Instant.parse("2021-01-01T00:00:00Z"), Instant.parse("2020-01-01T00:00:00Z"), Set.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("before it starts");
    }
}

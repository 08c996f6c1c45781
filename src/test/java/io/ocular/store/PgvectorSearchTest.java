package io.ocular.store;

import io.ocular.model.FolderRecord;
import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import io.ocular.model.ModelInfo;
import io.ocular.model.ModelKind;
import io.ocular.model.OcularException;
import io.ocular.model.SearchScope;
import io.ocular.testing.PostgresServers;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * pgvector mode on PGlite (pgvector 0.8): an HNSW cosine index per model, k-NN in SQL with folder and date filters,
 * agreeing with an exact cosine scan. Correctness only: nothing is timed on PGlite.
 */
@Tag("postgres")
class PgvectorSearchTest {
    private static final ModelInfo M = new ModelInfo("clip-like", "M", ModelKind.IMAGE, 16, "s");

    @TempDir
    Path tmp;

    @Test
    void hnswSearchWithFolderAndDateFiltersMatchesAnExactScan() throws Exception {
        PostgresServers.Server s = PostgresServers.pglite();
        String url = s.newSchemaUrl();
        PostgresLocation loc = PostgresLocation.parse(url + "&user=" + s.user() + "&password=" + s.password(), Map.of(), "x");
        try (PostgresCatalog c = PostgresCatalog.open(loc, "pc")) {
            assertThat(c.serverSideSearch()).isTrue();
            assertThat(c.vectorMode()).startsWith("pgvector 0.8");
            c.registerModel(M);
            FolderRecord a = c.addFolder(tmp.resolve("a"));
            FolderRecord b = c.addFolder(tmp.resolve("b"));
            Random r = new Random(3);
            List<ImageRecord> images = new ArrayList<>();
            List<float[]> vectors = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                FolderRecord f = i % 3 == 0 ? b : a;
                images.add(new ImageRecord(0, f.id(), f.path().resolve(i + ".jpg"), 1, 1, "h" + i, 1, 1,
                        Instant.ofEpochSecond(1_600_000_000L + i * 86_400L), 1, ImageStatus.INDEXED, null));
                vectors.add(CatalogFixtures.randomVector(r, 16));
            }
            List<ImageRecord> stored = c.commitBatch(images, M.id(), vectors);
            float[] query = CatalogFixtures.randomVector(r, 16);

            try (Connection db = DriverManager.getConnection(loc.url(), loc.properties());
                 Statement st = db.createStatement();
                 ResultSet rs = st.executeQuery("SELECT indexdef FROM pg_indexes WHERE indexname = '"
                         + PostgresVectors.indexName(M.id()) + "_16'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).contains("hnsw").contains("vector_cosine_ops").contains("vector(16)");
            }

            List<VectorHit> all = c.searchOnServer(M.id(), query, 10, SearchScope.ALL);
            assertThat(all).extracting(VectorHit::imageId).containsExactlyElementsOf(exact(stored, vectors, query, 10,
                    i -> true));
            Instant from = Instant.ofEpochSecond(1_600_000_000L + 100 * 86_400L);
            Instant to = Instant.ofEpochSecond(1_600_000_000L + 200 * 86_400L);
            List<VectorHit> filtered = c.searchOnServer(M.id(), query, 10, new SearchScope(Set.of(b.path()), from, to, null));
            assertThat(filtered).extracting(VectorHit::imageId).containsExactlyElementsOf(exact(stored, vectors, query,
                    10, i -> i % 3 == 0 && i >= 100 && i < 200));
            assertThat(filtered.get(0).similarity()).isBetween(-1.0, 1.0);
            // excluded ids are left out on the server and k still come back
            List<VectorHit> without = c.searchOnServer(M.id(), query, 10, new SearchScope(Set.of(), null, null,
                    Set.of(all.get(0).imageId(), all.get(1).imageId())));
            assertThat(without).extracting(VectorHit::imageId).containsExactlyElementsOf(exact(stored, vectors, query,
                    12, i -> true).subList(2, 12));
            // a folder outside the library holds nothing
            assertThat(c.searchOnServer(M.id(), query, 10, new SearchScope(Set.of(tmp.resolve("elsewhere")), null,
                    null, null))).isEmpty();

            // vectors read back bit for bit from the bytes, whatever the vector column holds
            assertThat(c.embedding(stored.get(5).id(), M.id())).hasValueSatisfying(v -> assertThat(v)
                    .containsExactly(vectors.get(5)));
            // another dimension: the index follows, the old vectors are gone
            c.registerModel(new ModelInfo(M.id(), "M2", ModelKind.IMAGE, 8, "s2"));
            assertThat(c.searchOnServer(M.id(), new float[8], 5, SearchScope.ALL)).isEmpty();
        }
    }

    @Test
    void byteaModeRefusesServerSearchClearly() {
        PostgresServers.Server s = PostgresServers.postgres15();
        PostgresLocation loc = PostgresLocation.parse(s.url(s.newDatabase()), Map.of("PGUSER", s.user(),
                "PGPASSWORD", s.password()), "x");
        try (PostgresCatalog c = PostgresCatalog.open(loc, "pc")) {
            c.registerModel(M);
            assertThatThrownBy(() -> c.searchOnServer(M.id(), new float[16], 5, SearchScope.ALL))
                    .isInstanceOf(OcularException.class).hasMessageContaining("no pgvector");
        }
    }

    private static List<Long> exact(List<ImageRecord> stored, List<float[]> vectors, float[] q, int k,
                                    java.util.function.IntPredicate keep) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < stored.size(); i++) {
            if (keep.test(i)) {
                idx.add(i);
            }
        }
        idx.sort(Comparator.comparingDouble(i -> -cosine(vectors.get(i), q)));
        return idx.stream().limit(k).map(i -> stored.get(i).id()).toList();
    }

    private static double cosine(float[] a, float[] b) {
        double d = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            d += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return d / Math.sqrt(na * nb);
    }
}

package io.ocular.engine;

import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import io.ocular.model.ModelInfo;
import io.ocular.model.ModelKind;
import io.ocular.model.ScoredId;
import io.ocular.model.SearchScope;
import io.ocular.search.VectorIndex;
import io.ocular.store.SqliteCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

class LiveIndexCatalogTest {

    /** Records what reaches the index. */
    static final class MapIndex implements VectorIndex {
        final Map<Long, float[]> vectors = new ConcurrentHashMap<>();

        @Override
        public int dimension() {
            return 2;
        }

        @Override
        public int size() {
            return vectors.size();
        }

        @Override
        public void add(long id, float[] vector) {
            vectors.put(id, vector.clone());
        }

        @Override
        public boolean remove(long id) {
            return vectors.remove(id) != null;
        }

        @Override
        public List<ScoredId> search(float[] query, int k) {
            return List.of();
        }
    }

    private static ImageRecord image(long folderId, Path p, ImageStatus status) {
        return new ImageRecord(0, folderId, p, 1, 1, null, 0, 0, null, 1, status, null);
    }

    @Test
    void theIdsOfAScopeAreRememberedButEveryWriteIsSeenAtOnce(@TempDir Path tmp) throws Exception {
        MapIndex index = new MapIndex();
        try (SqliteCatalog sqlite = SqliteCatalog.open(tmp.resolve("c.db"))) {
            sqlite.registerModel(new ModelInfo("m", "m", ModelKind.IMAGE, 2, "x"));
            LiveIndexCatalog c = new LiveIndexCatalog(sqlite, "m", index);
            Path dir = Files.createDirectories(tmp.resolve("photos"));
            long folder = c.addFolder(dir).id();
            SearchScope scope = new SearchScope(Set.of(dir), null, null, Set.of());
            assertThat(c.imageIdsIn(scope).cardinality()).isZero();
            long a = c.commitBatch(List.of(image(folder, dir.resolve("a.jpg"), ImageStatus.INDEXED)), "m",
                    List.<float[]>of(new float[] {1, 0})).get(0).id();
            assertThat(c.imageIdsIn(scope).stream().boxed().toList()).containsExactly((int) a);
            BitSet mine = c.imageIdsIn(scope);
            mine.clear();
            assertThat(c.imageIdsIn(scope).cardinality()).isEqualTo(1);
            c.deleteImages(List.of(a));
            assertThat(c.imageIdsIn(scope).cardinality()).isZero();
        }
    }

    @Test
    void committedVectorsOfTheActiveModelReachTheIndexAndDeletionsLeaveIt(@TempDir Path tmp) {
        MapIndex index = new MapIndex();
        try (SqliteCatalog sqlite = SqliteCatalog.open(tmp.resolve("c.db"))) {
            sqlite.registerModel(new ModelInfo("m", "m", ModelKind.IMAGE, 2, "x"));
            sqlite.registerModel(new ModelInfo("other", "o", ModelKind.IMAGE, 2, "y"));
            LiveIndexCatalog c = new LiveIndexCatalog(sqlite, "m", index);
            long folder = c.addFolder(tmp).id();
            List<ImageRecord> stored = c.commitBatch(
                    List.of(image(folder, tmp.resolve("a.jpg"), ImageStatus.INDEXED),
                            image(folder, tmp.resolve("b.jpg"), ImageStatus.SKIPPED),
                            image(folder, tmp.resolve("c.jpg"), ImageStatus.INDEXED)),
                    "m", Arrays.asList(new float[] {1, 0}, null, new float[] {0, 1}));
            long a = stored.get(0).id(), cId = stored.get(2).id();
            assertThat(index.vectors.keySet()).containsExactlyInAnyOrder(a, cId);
            assertThat(index.vectors.get(cId)).containsExactly(0, 1);

            c.commitBatch(List.of(image(folder, tmp.resolve("d.jpg"), ImageStatus.INDEXED)), "other",
                    List.<float[]>of(new float[] {1, 0}));
            assertThat(index.size()).isEqualTo(2);

            c.deleteImages(List.of(a));
            assertThat(index.vectors.keySet()).containsExactly(cId);
            c.removeFolder(folder);
            assertThat(index.size()).isZero();
            assertThat(sqlite.countEmbeddings("m")).isZero();
        }
    }
}

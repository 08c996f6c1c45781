package io.ocular.engine;

import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import io.ocular.model.ModelInfo;
import io.ocular.model.ModelKind;
import io.ocular.model.ScoredId;
import io.ocular.search.DuplicateFinder;
import io.ocular.search.VectorRows;
import io.ocular.store.SqliteCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** The duplicate service asks the index for neighbours when the model has compact codes, and compares all pairs when not. */
class DuplicateServiceIndexTest {
    @TempDir
    Path tmp;

    private static ImageRecord photo(long folder, Path p) {
        return new ImageRecord(0, folder, p, 1, 1, null, 0, 0, null, 1, ImageStatus.INDEXED, null,
                ImageRecord.NO_FRAME, 0);
    }

    @Test
    void withNeighboursFromTheIndexTheScanUsesThemAndWithoutItComparesEveryPair() {
        try (SqliteCatalog c = SqliteCatalog.open(tmp.resolve("c.db"))) {
            c.registerModel(new ModelInfo("m", "m", ModelKind.IMAGE, 2, "x"));
            long folder = c.addFolder(tmp).id();
            c.commitBatch(List.of(photo(folder, tmp.resolve("a.jpg")), photo(folder, tmp.resolve("b.jpg")),
                    photo(folder, tmp.resolve("c.jpg"))), "m", List.of(new float[]{1, 0}, new float[]{0, 1},
                    new float[]{0.6f, 0.8f}));
            Function<String, VectorRows> rows = model -> VectorRows.of(c.loadEmbeddings(model));
            long[] ids = c.embeddingIds("m");
            long a = ids[0];
            long cc = ids[2];
            List<float[]> asked = new ArrayList<>();
            // a stand-in index that says a and c are copies (their true similarity is 0.6: the exact scan disagrees)
            DuplicateFinder.Neighbours index = (v, k) -> {
                asked.add(v);
                return v[0] == 1 ? List.of(new ScoredId(a, 1f), new ScoredId(cc, 0.97f)) : List.of();
            };

            List<DuplicateService.Group> viaIndex = new DuplicateService(c, () -> "m", rows, model -> index).find(0.95);
            assertThat(asked).hasSize(3);
            assertThat(viaIndex).hasSize(1);
            assertThat(viaIndex.get(0).members()).extracting(DuplicateService.Member::id).containsExactly(a, cc);
            assertThat(viaIndex.get(0).similarity()).isEqualTo(0.97f);

            assertThat(new DuplicateService(c, () -> "m", rows, model -> null).find(0.95)).isEmpty();
        }
    }
}

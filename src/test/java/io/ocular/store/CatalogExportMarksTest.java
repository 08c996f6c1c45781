package io.ocular.store;

import io.ocular.model.ComposeMark;
import io.ocular.model.FolderRecord;
import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;

import static io.ocular.store.CatalogFixtures.MODEL_A;
import static io.ocular.store.CatalogFixtures.randomVector;
import static org.assertj.core.api.Assertions.assertThat;

/** An export takes the compose panel's marks along, re-keyed to the target's photos, once however often it runs. */
class CatalogExportMarksTest {
    @TempDir
    Path tmp;

    @Test
    void marksFollowTheirPhotosByPathAndASecondRunAddsNothing() {
        Instant t = Instant.parse("2026-11-30T12:00:00Z");
        try (SqliteCatalog from = SqliteCatalog.open(tmp.resolve("a/catalog.db"));
             SqliteCatalog to = SqliteCatalog.open(tmp.resolve("b/catalog.db"))) {
            from.registerModel(MODEL_A);
            FolderRecord f = from.addFolder(tmp.resolve("photos"));
            Random r = new Random(1);
            // the ids differ in the target: here the first id is a photo that sorts last (copied in path order)
            from.upsertImage(new ImageRecord(0, f.id(), tmp.resolve("photos/zz.jpg"), 1, 1, "zz", 4, 4, null, 1,
                    ImageStatus.SKIPPED, "not an image"));
            List<ImageRecord> rows = List.of("x.jpg", "y.jpg", "z.jpg").stream().map(n -> new ImageRecord(0, f.id(),
                    tmp.resolve("photos/" + n), 1, 1, "h" + n, 4, 4, null, 1, ImageStatus.INDEXED, null)).toList();
            List<ImageRecord> stored = from.commitBatch(rows, MODEL_A.id(), List.of(randomVector(r, 8),
                    randomVector(r, 8), randomVector(r, 8)));
            from.putComposeMark(new ComposeMark(MODEL_A.id(), stored.get(0).id(), "at night", stored.get(1).id(), true,
                    0.5, t));
            from.putComposeMark(new ComposeMark(MODEL_A.id(), stored.get(0).id(), "at night", stored.get(2).id(), false,
                    0.5, t));

            CatalogExport.copy(from, to, p -> { });
            CatalogExport.copy(from, to, p -> { });

            long x = to.imageByPath(tmp.resolve("photos/x.jpg")).orElseThrow().id();
            long y = to.imageByPath(tmp.resolve("photos/y.jpg")).orElseThrow().id();
            long z = to.imageByPath(tmp.resolve("photos/z.jpg")).orElseThrow().id();
            assertThat(x).isNotEqualTo(stored.get(0).id());
            assertThat(to.composeMarks(MODEL_A.id())).containsExactlyInAnyOrder(
                    new ComposeMark(MODEL_A.id(), x, "at night", y, true, 0.5, t),
                    new ComposeMark(MODEL_A.id(), x, "at night", z, false, 0.5, t));
        }
    }
}

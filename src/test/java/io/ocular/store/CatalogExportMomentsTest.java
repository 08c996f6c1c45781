package io.ocular.store;

import io.ocular.model.FolderRecord;
import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import io.ocular.testing.PostgresServers;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.ocular.store.CatalogFixtures.MODEL_A;
import static io.ocular.store.CatalogFixtures.MODEL_B;
import static io.ocular.store.CatalogFixtures.randomVector;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code catalog export} carries videos with their moments both ways (SQLite → PostgreSQL 15 → SQLite), with every
 * model's vectors bit for bit, and a second run finds everything there.
 */
@Tag("postgres")
class CatalogExportMomentsTest {
    @TempDir
    Path tmp;

    @Test
    void videosAndTheirMomentsGoToTheServerAndBack() {
        PostgresServers.Server s = PostgresServers.postgres15();
        PostgresLocation loc = PostgresLocation.parse(s.url(s.newDatabase()), Map.of("PGUSER", s.user(),
                "PGPASSWORD", s.password()), "x");
        Random r = new Random(11);
        Path clip = tmp.resolve("lib/clip.mp4");
        try (SqliteCatalog local = SqliteCatalog.open(tmp.resolve("a/catalog.db"));
             PostgresCatalog server = PostgresCatalog.open(loc, "computer-a");
             SqliteCatalog back = SqliteCatalog.open(tmp.resolve("b/catalog.db"))) {
            local.registerModel(MODEL_A);
            local.registerModel(MODEL_B);
            FolderRecord f = local.addFolder(tmp.resolve("lib"));
            ImageRecord video = new ImageRecord(0, f.id(), clip, 5000, 1_700_000_000_000L, "hv", 640, 360, null, 1,
                    ImageStatus.INDEXED, null, ImageRecord.NO_FRAME, 30_000);
            List<ImageRecord> rows = List.of(CatalogFixtures.image(f.id(), tmp.resolve("lib/a.jpg"), "h1",
                    ImageStatus.INDEXED), video, video.moment(0), video.moment(12_500), video.moment(25_000));
            for (var m : List.of(MODEL_A, MODEL_B)) {
                List<float[]> vectors = new ArrayList<>();
                for (ImageRecord row : rows) {
                    vectors.add(row.isVideoFile() ? null : randomVector(r, m.dimension()));
                }
                // the second model: moments alone (their video is stored), as the export does
                local.commitBatch(m == MODEL_A ? rows : rows.stream().filter(x -> !x.isVideoFile()).toList(), m.id(),
                        m == MODEL_A ? vectors : vectors.stream().filter(v -> v != null).toList());
            }
            assertThat(local.countEmbeddings(MODEL_B.id())).isEqualTo(4);

            CatalogExport.Result up = CatalogExport.copy(local, server, p -> { });
            assertThat(up.copied()).isEqualTo(2);
            assertMomentsAlike(local, server, clip);
            assertThat(server.countEmbeddings(MODEL_A.id())).isEqualTo(4);
            assertThat(server.countEmbeddings(MODEL_B.id())).isEqualTo(4);

            CatalogExport.Result again = CatalogExport.copy(local, server, p -> { });
            assertThat(again.copied()).isZero();
            assertThat(again.alreadyThere()).isEqualTo(2);
            assertThat(again.checksum()).isEqualTo(up.checksum());

            CatalogExport.Result down = CatalogExport.copy(server, back, p -> { });
            assertThat(down.copied()).isEqualTo(2);
            assertThat(down.checksum()).isEqualTo(up.checksum());
            assertMomentsAlike(local, back, clip);
        }
    }

    private static void assertMomentsAlike(Catalog a, Catalog b, Path clip) {
        ImageRecord va = a.imageByPath(clip).orElseThrow();
        ImageRecord vb = b.imageByPath(clip).orElseThrow();
        assertThat(vb.isVideoFile()).isTrue();
        assertThat(vb.durationMs()).isEqualTo(30_000);
        List<ImageRecord> ma = a.moments(va.id());
        List<ImageRecord> mb = b.moments(vb.id());
        assertThat(mb).extracting(ImageRecord::frameMs).containsExactly(0L, 12_500L, 25_000L);
        for (int i = 0; i < ma.size(); i++) {
            for (var m : List.of(MODEL_A, MODEL_B)) {
                assertThat(b.embedding(mb.get(i).id(), m.id()).orElseThrow())
                        .containsExactly(a.embedding(ma.get(i).id(), m.id()).orElseThrow());
            }
        }
    }
}

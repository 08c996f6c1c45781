package io.ocular.engine;

import io.ocular.model.FolderRecord;
import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import io.ocular.model.ModelInfo;
import io.ocular.model.Query;
import io.ocular.model.SearchHit;
import io.ocular.store.PostgresCatalog;
import io.ocular.store.PostgresLocation;
import io.ocular.testing.PostgresServers;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A running engine on a shared library (PostgreSQL 15, bytea mode: vectors searched in Ocular) sees the photos
 * another computer adds and deletes, by polling: its searches find them within seconds, without reopening.
 */
@Tag("postgres")
class SharedLibraryPollTest {
    @TempDir
    Path tmp;

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(end);
            Thread.sleep(100);
        }
    }

    @Test
    void aRunningEngineSeesAnotherComputersAdditionsAndDeletions() throws Exception {
        PostgresServers.Server s = PostgresServers.postgres15();
        String db = s.newDatabase();
        String url = s.url(db) + "?user=" + s.user() + "&password=" + s.password();
        try (Engine a = Engine.open(AppPaths.under(tmp.resolve("data-a")).withCatalog(url, Map.of()), null);
             PostgresCatalog b = PostgresCatalog.open(PostgresLocation.parse(url, Map.of(), "x"), "computer-b")) {
            assertThat(a.index().size()).isZero();
            ModelInfo model = a.activeModel();
            FolderRecord folder = b.addFolder(Files.createDirectories(tmp.resolve("nas/photos")));
            Random r = new Random(5);
            List<ImageRecord> images = new ArrayList<>();
            List<float[]> vectors = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                images.add(new ImageRecord(0, folder.id(), folder.path().resolve("b" + i + ".jpg"), 1, 1, "h" + i, 4,
                        3, null, 1, ImageStatus.INDEXED, null));
                float[] v = new float[model.dimension()];
                for (int d = 0; d < v.length; d++) {
                    v[d] = (float) r.nextGaussian();
                }
                vectors.add(v);
            }
            List<ImageRecord> stored = b.commitBatch(images, model.id(), vectors);

            await("computer B's photos in A's index", () -> a.index().size() == 12);
            long first = stored.get(0).id();
            List<SearchHit> hits = a.search().search(new Query.ByImage(first), 3).hits();
            assertThat(hits).hasSize(3).allMatch(h -> h.path().startsWith(folder.path()));

            b.deleteImages(List.of(stored.get(1).id(), stored.get(2).id()));
            await("computer B's deletions gone from A's index", () -> a.index().size() == 10);
            assertThat(a.search().search(new Query.ByImage(first), 20).hits()).extracting(SearchHit::imageId)
                    .doesNotContain(stored.get(1).id(), stored.get(2).id()).hasSize(9);
        }
    }
}

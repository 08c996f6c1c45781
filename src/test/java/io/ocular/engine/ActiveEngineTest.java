package io.ocular.engine;

import io.ocular.embed.ImageEncoder;
import io.ocular.index.ImageDecoder;
import io.ocular.index.IndexingDaemon;
import io.ocular.model.ImageRecord;
import io.ocular.model.ModelInfo;
import io.ocular.model.ModelKind;
import io.ocular.model.OcularException;
import io.ocular.model.Query;
import io.ocular.model.SearchHit;
import io.ocular.model.SearchResult;
import io.ocular.search.DefaultSearchService;
import io.ocular.search.ExactIndex;
import io.ocular.search.ScanPool;
import io.ocular.search.SearchService;
import io.ocular.store.Catalog;
import io.ocular.store.SqliteCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ActiveEngineTest {

    /** Embeds an image as its mean colour, in {@code dim} dimensions (2: red/green, 3: red/green/blue). */
    static final class ColourEncoder implements ImageEncoder {
        final String id;
        final int dim;
        final AtomicInteger calls = new AtomicInteger();
        volatile boolean closed;

        ColourEncoder(String id, int dim) {
            this.id = id;
            this.dim = dim;
        }

        @Override
        public String modelId() {
            return id;
        }

        @Override
        public int dimension() {
            return dim;
        }

        @Override
        public int preferredShortSide() {
            return 16;
        }

        @Override
        public float[][] encode(List<BufferedImage> images) {
            if (closed) {
                throw new IllegalStateException("encoder " + id + " used after close");
            }
            calls.incrementAndGet();
            float[][] out = new float[images.size()][];
            for (int i = 0; i < images.size(); i++) {
                Color c = new Color(images.get(i).getRGB(0, 0));
                float[] v = dim == 2 ? new float[] {c.getRed() + 1, c.getGreen() + 1}
                        : new float[] {c.getRed() + 1, c.getGreen() + 1, c.getBlue() + 1};
                double n = 0;
                for (float x : v) {
                    n += x * x;
                }
                for (int j = 0; j < v.length; j++) {
                    v[j] /= (float) Math.sqrt(n);
                }
                out[i] = v;
            }
            return out;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static ModelInfo info(String id, int dim) {
        return new ModelInfo(id, id.toUpperCase(), ModelKind.IMAGE, dim, "");
    }

    private static ActiveEngine.Generation generation(Catalog catalog, ScanPool pool, ColourEncoder enc) {
        // as Engine's opener: a model the switch has not registered yet has no vectors
        ExactIndex index = catalog.model(enc.id).isPresent() ? ExactIndex.of(catalog.loadEmbeddings(enc.id), pool)
                : new ExactIndex(enc.dim, pool);
        return new ActiveEngine.Generation(info(enc.id, enc.dim), enc, Optional.empty(), index,
                g -> new DefaultSearchService(catalog, g::index, enc, Optional.empty(),
                        f -> new ImageDecoder().decode(f, 16).image()));
    }

    private static Path photos(Path dir, int n) throws Exception {
        Files.createDirectories(dir);
        for (int i = 0; i < n; i++) {
            BufferedImage img = new BufferedImage(24, 24, BufferedImage.TYPE_INT_RGB);
            var g = img.createGraphics();
            g.setColor(new Color(40 * i % 256, 255 - 30 * i, (70 * i) % 256));
            g.fillRect(0, 0, 24, 24);
            g.dispose();
            ImageIO.write(img, "png", dir.resolve("p" + i + ".png").toFile());
        }
        return dir;
    }

    @Test
    void switchingReindexesInTheBackgroundAndSearchesCoverOnlyTheNewModelsVectors(@TempDir Path tmp) throws Exception {
        Path folder = photos(tmp.resolve("photos"), 6);
        ColourEncoder a = new ColourEncoder("a", 2);
        ColourEncoder b = new ColourEncoder("b", 3);
        try (SqliteCatalog sqlite = SqliteCatalog.open(tmp.resolve("catalog.db")); ScanPool pool = new ScanPool(1)) {
            sqlite.registerModel(info("a", 2));
            sqlite.setActiveModelId("a");
            ActiveEngine engine = new ActiveEngine(sqlite, generation(sqlite, pool, a),
                    m -> generation(sqlite, pool, m.id().equals("b") ? b : new ColourEncoder(m.id(), m.dimension())));
            Catalog live = new LiveIndexCatalog(sqlite, engine, new IndexLifecycleListener() { });
            try (IndexingDaemon daemon = new IndexingDaemon(live, engine::indexingEncoder, new ImageDecoder(),
                    IndexingDaemon.Config.defaults().withWorkers(1).withBatchSize(2))) {
                engine.attach(daemon);
                daemon.addFolder(folder);
                assertThat(daemon.awaitIdle(Duration.ofSeconds(30))).isTrue();
                assertThat(engine.index().size()).isEqualTo(6);
                Path query = folder.resolve("p2.png");
                SearchResult before = engine.search(new Query.ByFile(query), 3);
                assertThat(before.modelId()).isEqualTo("a");
                assertThat(before.notice()).isNull();

                // an earlier, partial run of model b left vectors for two photos
                List<ImageRecord> records = sqlite.imagesInFolder(sqlite.folders().get(0).id());
                sqlite.registerModel(info("b", 3));
                List<ImageRecord> two = records.stream().filter(r -> r.path().getFileName().toString().matches("p[34].png")).toList();
                sqlite.commitBatch(two, "b", List.of(b.encode(List.of(ImageIO.read(two.get(0).path().toFile())))[0],
                        b.encode(List.of(ImageIO.read(two.get(1).path().toFile())))[0]));

                daemon.pause(); // hold the re-index so the partial state can be observed
                engine.switchTo(info("b", 3));
                assertThat(sqlite.activeModelId()).contains("b");
                assertThat(engine.model().id()).isEqualTo("b");

                SearchResult partial = engine.search(new Query.ByFile(query), 6);
                assertThat(partial.modelId()).isEqualTo("b");
                assertThat(partial.hits()).extracting(h -> h.path().getFileName().toString())
                        .containsExactlyInAnyOrder("p3.png", "p4.png"); // only photos with a vector of b
                assertThat(partial.notice()).isEqualTo("re-indexing with B: 2 of 6 photos; results cover those so far");

                daemon.resume();
                assertThat(daemon.awaitIdle(Duration.ofSeconds(30))).isTrue();
                assertThat(sqlite.imagesWithoutEmbedding("b")).isEmpty();
                SearchResult full = engine.search(new Query.ByFile(query), 6);
                assertThat(full.notice()).isNull();
                assertThat(full.hits()).hasSize(5); // every other photo; the query itself is left out
                assertThat(full.hits().get(0).score()).isLessThanOrEqualTo(1.0001f);
                assertThat(a.closed).isTrue(); // no search held model a any more
                assertThat(b.closed).isFalse();

                // switching back is immediate: a's vectors are all still in the catalog
                engine.switchTo(info("a", 2));
                SearchResult back = engine.search(new Query.ByFile(query), 6);
                assertThat(back.modelId()).isEqualTo("a");
                assertThat(back.notice()).isNull();
                assertThat(back.hits()).extracting(SearchHit::imageId).hasSize(5);
            }
            engine.close();
        }
    }

    @Test
    void oldEncodersCloseOnlyAfterInFlightSearchesFinish(@TempDir Path tmp) throws Exception {
        ColourEncoder a = new ColourEncoder("a", 2);
        ColourEncoder b = new ColourEncoder("b", 3);
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (SqliteCatalog sqlite = SqliteCatalog.open(tmp.resolve("catalog.db")); ScanPool pool = new ScanPool(1)) {
            sqlite.registerModel(info("a", 2));
            ExactIndex empty = ExactIndex.of(sqlite.loadEmbeddings("a"), pool);
            SearchService blocking = (q, k) -> {
                inside.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                assertThat(a.closed).as("encoder closed during a search that uses it").isFalse();
                return new SearchResult(List.of(), "a", 1, null);
            };
            ActiveEngine engine = new ActiveEngine(sqlite,
                    new ActiveEngine.Generation(info("a", 2), a, Optional.empty(), empty, g -> blocking),
                    m -> generation(sqlite, pool, b));
            CompletableFuture<SearchResult> running = CompletableFuture.supplyAsync(() -> engine.search(new Query.ByText("x"), 1));
            assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();

            engine.switchTo(info("b", 3));
            assertThat(a.closed).isFalse(); // a search still runs on a
            assertThat(engine.indexingEncoder().modelId()).isEqualTo("b");
            release.countDown();
            assertThat(running.get(10, TimeUnit.SECONDS).modelId()).isEqualTo("a");
            assertThat(a.closed).isTrue();

            // the daemon's handle on the old model fails cleanly instead of touching a closed encoder
            ActiveEngine.Generation gb = engine.current();
            ImageEncoder daemonView = gb.guardedImageEncoder();
            engine.close();
            assertThat(b.closed).isTrue();
            assertThatThrownBy(() -> daemonView.encode(List.of(new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB))))
                    .isInstanceOf(OcularException.class).hasMessageContaining("switched off");
            assertThatThrownBy(() -> engine.search(new Query.ByText("x"), 1)).isInstanceOf(OcularException.class);
        }
    }

    @Test
    void aModelThatCannotOpenLeavesTheOldOneActive(@TempDir Path tmp) {
        ColourEncoder a = new ColourEncoder("a", 2);
        try (SqliteCatalog sqlite = SqliteCatalog.open(tmp.resolve("catalog.db")); ScanPool pool = new ScanPool(1)) {
            sqlite.registerModel(info("a", 2));
            sqlite.setActiveModelId("a");
            ActiveEngine engine = new ActiveEngine(sqlite, generation(sqlite, pool, a), m -> {
                throw new OcularException("the model file is damaged");
            });
            assertThatThrownBy(() -> engine.switchTo(info("b", 3))).hasMessageContaining("damaged");
            assertThat(engine.model().id()).isEqualTo("a");
            assertThat(sqlite.activeModelId()).contains("a");
            assertThat(a.closed).isFalse();
            engine.switchTo(info("a", 2)); // already active: nothing happens
            assertThat(a.closed).isFalse();
        }
    }

    @Test
    void coverageNoticeReadsNaturally() {
        assertThat(ActiveEngine.coverageNotice("CLIP", 340, 1000))
                .isEqualTo("re-indexing with CLIP: 340 of 1,000 photos; results cover those so far");
    }
}

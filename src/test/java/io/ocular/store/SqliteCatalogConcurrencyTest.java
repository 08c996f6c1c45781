package io.ocular.store;

import io.ocular.model.FolderRecord;
import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.ocular.store.CatalogFixtures.MODEL_A;
import static io.ocular.store.CatalogFixtures.image;
import static io.ocular.store.CatalogFixtures.randomVector;
import static org.assertj.core.api.Assertions.assertThat;

/** Readers running while the writer commits batch after batch never see a partial batch. */
class SqliteCatalogConcurrencyTest {

    private static final int BATCH = 25;
    private static final int BATCHES = 40;

    @TempDir
    Path tmp;

    @Test
    void readersSeeOnlyWholeBatchesWhileTheWriterCommits() throws Exception {
        try (SqliteCatalog catalog = SqliteCatalog.open(tmp.resolve("catalog.db"))) {
            catalog.registerModel(MODEL_A);
            FolderRecord f = catalog.addFolder(tmp.resolve("photos"));
            AtomicBoolean writing = new AtomicBoolean(true);
            Queue<String> violations = new ConcurrentLinkedQueue<>();
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                Future<?> writer = pool.submit(() -> {
                    try {
                        Random r = new Random(1);
                        for (int b = 0; b < BATCHES; b++) {
                            List<ImageRecord> images = new ArrayList<>();
                            List<float[]> vectors = new ArrayList<>();
                            for (int i = 0; i < BATCH; i++) {
                                images.add(image(f.id(), tmp.resolve("photos/" + b + "/" + i + ".jpg"), "h" + b + "-" + i,
                                        ImageStatus.INDEXED));
                                vectors.add(randomVector(r, MODEL_A.dimension()));
                            }
                            catalog.commitBatch(images, MODEL_A.id(), vectors);
                        }
                    } finally {
                        writing.set(false);
                    }
                    return null;
                });
                List<Future<Integer>> readers = new ArrayList<>();
                readers.add(pool.submit(() -> {
                    int reads = 0;
                    do {
                        long images = catalog.countImages(ImageStatus.INDEXED);
                        long vectors = catalog.countEmbeddings(MODEL_A.id());
                        if (images % BATCH != 0 || vectors % BATCH != 0) {
                            violations.add("counts " + images + " images, " + vectors + " vectors");
                        }
                        CatalogStats s = catalog.stats();
                        if (s.indexedImages() != s.embeddingsByModel().get(MODEL_A.id())) {
                            violations.add("one snapshot with " + s.indexedImages() + " images but "
                                    + s.embeddingsByModel() + " vectors");
                        }
                        reads++;
                    } while (writing.get());
                    return reads;
                }));
                readers.add(pool.submit(() -> {
                    int reads = 0;
                    do {
                        EmbeddingMatrix m = catalog.loadEmbeddings(MODEL_A.id());
                        if (m.rows() % BATCH != 0 || m.data().length != m.rows() * m.dimension()) {
                            violations.add("matrix with " + m.rows() + " rows");
                        }
                        if (Arrays.stream(m.ids()).distinct().count() != m.rows()) {
                            violations.add("duplicate ids in a matrix");
                        }
                        if (catalog.imagesInFolder(f.id()).size() % BATCH != 0) {
                            violations.add("partial folder listing");
                        }
                        reads++;
                    } while (writing.get());
                    return reads;
                }));

                writer.get(2, TimeUnit.MINUTES); // a guard against a hang, not a timing assertion
                for (Future<Integer> reader : readers) {
                    assertThat(reader.get(2, TimeUnit.MINUTES)).isPositive();
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(violations).isEmpty();
            assertThat(catalog.countEmbeddings(MODEL_A.id())).isEqualTo((long) BATCH * BATCHES);
            assertThat(catalog.loadEmbeddings(MODEL_A.id()).rows()).isEqualTo(BATCH * BATCHES);
        }
    }
}

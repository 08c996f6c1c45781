package io.ocular.engine;

import io.ocular.model.FolderRecord;
import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import io.ocular.model.ModelInfo;
import io.ocular.model.ModelKind;
import io.ocular.search.ExactIndex;
import io.ocular.search.FullVectors;
import io.ocular.search.MappedVectors;
import io.ocular.search.ScanPool;
import io.ocular.store.SqliteCatalog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The engine keeps a large library's vectors memory-mapped, in step with the catalog across restarts. */
class FullVectorTierTest {
    private static final ModelInfo MODEL = new ModelInfo("m", "M", ModelKind.IMAGE, 16, "sha");
    /** 600 × 16 = 9,600 floats: above this test threshold. */
    private static final long THRESHOLD = 5_000;

    @TempDir
    Path tmp;
    private SqliteCatalog catalog;
    private ScanPool pool;
    private FolderRecord folder;
    private final Random random = new Random(3);
    private int files;

    @BeforeEach
    void setUp() {
        catalog = SqliteCatalog.open(tmp.resolve("catalog.db"));
        catalog.registerModel(MODEL);
        folder = catalog.addFolder(tmp.resolve("photos"));
        pool = new ScanPool(2);
        addImages(600);
    }

    @AfterEach
    void tearDown() {
        pool.close();
        catalog.close();
    }

    private List<ImageRecord> addImages(int n) {
        List<ImageRecord> images = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            images.add(new ImageRecord(0, folder.id(), tmp.resolve("photos/" + (files++) + ".jpg"), 1, 1, null, 1, 1,
                    Instant.EPOCH, 1, ImageStatus.INDEXED, null));
            float[] v = new float[MODEL.dimension()];
            for (int d = 0; d < v.length; d++) {
                v[d] = (float) random.nextGaussian();
            }
            vectors.add(v);
        }
        return catalog.commitBatch(images, MODEL.id(), vectors);
    }

    private FullVectors open(long threshold) {
        return FullVectorTier.open(catalog, MODEL, tmp.resolve("index"), pool, threshold);
    }

    @Test
    void aboveTheThresholdTheVectorsAreMappedAndAnswerLikeTheCatalogsVectors() throws Exception {
        FullVectors full = open(THRESHOLD);
        try {
            assertThat(full).isInstanceOf(MappedVectors.class);
            assertThat(tmp.resolve("index").resolve(MappedVectors.BASE_FILE)).exists();
            assertMatchesCatalog(full);
        } finally {
            ((MappedVectors) full).close();
        }
    }

    @Test
    void changesMadeWhileClosedAreReconciledAtTheNextOpen() throws Exception {
        ((MappedVectors) open(THRESHOLD)).close();
        List<ImageRecord> added = addImages(20);
        catalog.deleteImages(List.of(added.get(0).id(), 1L, 2L));
        FullVectors full = open(THRESHOLD);
        try {
            assertThat(full).isInstanceOf(MappedVectors.class);
            assertMatchesCatalog(full);
        } finally {
            ((MappedVectors) full).close();
        }
    }

    @Test
    void aDamagedVectorFileIsRewrittenFromTheCatalog() throws Exception {
        ((MappedVectors) open(THRESHOLD)).close();
        Path base = tmp.resolve("index").resolve(MappedVectors.BASE_FILE);
        byte[] b = Files.readAllBytes(base);
        Files.write(base, Arrays.copyOf(b, b.length / 2));
        FullVectors full = open(THRESHOLD);
        try {
            assertMatchesCatalog(full);
        } finally {
            ((MappedVectors) full).close();
        }
    }

    @Test
    void belowTheThresholdTheVectorsStayOnTheHeapAndStaleFilesGo() throws Exception {
        ((MappedVectors) open(THRESHOLD)).close();
        FullVectors full = open(1_000_000);
        assertThat(full).isInstanceOf(ExactIndex.class);
        assertThat(tmp.resolve("index").resolve(MappedVectors.BASE_FILE)).doesNotExist();
        assertMatchesCatalog(full);
    }

    private void assertMatchesCatalog(FullVectors full) {
        ExactIndex truth = ExactIndex.of(catalog.loadEmbeddings(MODEL.id()), pool);
        long[] want = truth.ids();
        long[] have = full.ids();
        Arrays.sort(want);
        Arrays.sort(have);
        assertThat(have).isEqualTo(want);
        for (long id : want) {
            assertThat(full.vector(id)).isEqualTo(truth.vector(id));
        }
        float[] q = truth.vector(want[want.length / 2]);
        assertThat(full.search(q, 10)).isEqualTo(truth.search(q, 10));
    }
}

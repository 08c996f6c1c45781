package io.ocular.search;

import io.ocular.eval.EvalReport;
import io.ocular.eval.Evaluator;
import io.ocular.eval.GroundTruth;
import io.ocular.model.OcularException;
import io.ocular.store.EmbeddingMatrix;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** pq and opq as eval builds them (IndexFactory), scored by the evaluator on a small clustered set with known classes. */
class IndexFactoryTest {
    private static final int CLASSES = 8;
    private static final int PER_CLASS = 50;
    private static final int DIM = 64;

    private static ScanPool pool;
    private static IndexFactory factory;
    private static float[][] vectors;
    private static GroundTruth truth;
    private static Map<Path, Long> ids;
    private static EmbeddingMatrix database;

    @BeforeAll
    static void data() {
        pool = new ScanPool(1);
        factory = new IndexFactory(pool);
        Random rnd = new Random(3);
        int n = CLASSES * PER_CLASS;
        vectors = new float[n][];
        List<Path> images = new ArrayList<>();
        Map<Integer, Set<Path>> byClass = new HashMap<>();
        float[] data = new float[n * DIM];
        long[] rowIds = new long[n];
        ids = new HashMap<>();
        float[][] centres = new float[CLASSES][DIM];
        for (float[] c : centres) {
            for (int d = 0; d < DIM; d++) {
                c[d] = (float) rnd.nextGaussian();
            }
        }
        for (int i = 0; i < n; i++) {
            int c = i % CLASSES;
            float[] v = new float[DIM];
            double norm = 0;
            for (int d = 0; d < DIM; d++) {
                v[d] = centres[c][d] + (float) (rnd.nextGaussian() * 1.3);
                norm += v[d] * v[d];
            }
            for (int d = 0; d < DIM; d++) {
                v[d] /= (float) Math.sqrt(norm);
            }
            vectors[i] = v;
            System.arraycopy(v, 0, data, i * DIM, DIM);
            rowIds[i] = i;
            Path p = Path.of("/ds/c" + c + "/" + i + ".png");
            images.add(p);
            ids.put(p, (long) i);
            byClass.computeIfAbsent(c, k -> new HashSet<>()).add(p);
        }
        List<GroundTruth.QuerySpec> queries = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Set<Path> rel = new HashSet<>(byClass.get(i % CLASSES));
            rel.remove(images.get(i));
            queries.add(new GroundTruth.QuerySpec(images.get(i), rel, true));
        }
        truth = new GroundTruth("classes", images, images, queries, EnumSet.of(GroundTruth.Measure.MAP), 0);
        database = new EmbeddingMatrix("synthetic", DIM, rowIds, data);
    }

    @AfterAll
    static void close() {
        pool.close();
    }

    private static double map(VectorIndex index) {
        EvalReport r = new Evaluator().evaluate(truth, ids, id -> vectors[(int) id], (q, k) -> index.search(q, k));
        return r.mAP();
    }

    @Test
    void pqAndOpqCodesKeepTheClassesAndExactRerankRecoversTheExactScore() {
        double exact = map(factory.build("exact", 0, database, null));
        double pq16 = map(factory.build("pq", 16, database, null));
        double pq32 = map(factory.build("pq", 32, database, null));
        double opq32 = map(factory.build("opq", 32, database, null));
        double reranked = map(factory.build("pq", 32, database, factory.exactReranker(database)));
        // 8 balanced classes: a random ranking scores about 1/8
        assertThat(exact).isGreaterThan(0.8);
        assertThat(pq32).isGreaterThan(0.5).isLessThanOrEqualTo(exact + 0.02);
        assertThat(opq32).isGreaterThan(0.5).isLessThanOrEqualTo(exact + 0.02);
        assertThat(pq16).isGreaterThan(0.3).isLessThanOrEqualTo(pq32 + 0.02);
        assertThat(reranked).isGreaterThanOrEqualTo(pq32 - 0.01).isGreaterThan(exact - 0.05);
        System.out.printf("exact %.4f pq16 %.4f pq32 %.4f opq32 %.4f pq32+rerank %.4f%n", exact, pq16, pq32, opq32, reranked);
    }

    @Test
    void badBitsAndTooFewVectorsAreClearErrors() {
        assertThatThrownBy(() -> factory.build("pq", 12, database, null)).isInstanceOf(OcularException.class)
                .hasMessageContaining("multiple of 8");
        assertThatThrownBy(() -> factory.build("pq", 8 * (DIM + 1), database, null))
                .isInstanceOf(OcularException.class).hasMessageContaining("too many");
        EmbeddingMatrix small = new EmbeddingMatrix("s", DIM, java.util.Arrays.copyOf(database.ids(), 100),
                java.util.Arrays.copyOf(database.data(), 100 * DIM));
        assertThatThrownBy(() -> factory.build("opq", 32, small, null)).isInstanceOf(OcularException.class)
                .hasMessageContaining("at least 256 vectors");
        assertThatThrownBy(() -> IndexFactory.check("ivf", IndexFactory.EVAL_KINDS)).isInstanceOf(OcularException.class)
                .hasMessageContaining("exact, pq, opq, spq");
    }
}

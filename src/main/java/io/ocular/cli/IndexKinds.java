package io.ocular.cli;

import io.ocular.model.OcularException;
import io.ocular.search.ExactIndex;
import io.ocular.search.ExactReranker;
import io.ocular.search.PqConfig;
import io.ocular.search.PqIndex;
import io.ocular.search.ScanPool;
import io.ocular.search.SpqIndex;
import io.ocular.search.SpqModel;
import io.ocular.search.VectorIndex;
import io.ocular.store.EmbeddingMatrix;

import java.util.List;
import java.util.Locale;

/**
 * The vector indexes eval can build over a dataset's vectors: exact, pq, opq and spq. Compressed kinds score
 * by their codes alone (asymmetric distance, no exact re-ranking) unless {@code rerankExact} is set, so eval
 * measures what the codes keep.
 */
final class IndexKinds {
    static final List<String> NAMES = List.of("exact", "pq", "opq", "spq");
    /** Candidates per result re-ranked exactly with {@code --rerank-exact}. */
    static final int RERANK_FACTOR = 10;

    private IndexKinds() {
    }

    static String check(String kind) {
        String k = kind.toLowerCase(Locale.ROOT);
        if (!NAMES.contains(k)) {
            throw new OcularException("Unknown index '" + kind + "'; use one of " + String.join(", ", NAMES) + ".");
        }
        return k;
    }

    static void checkBits(int bits, int dimension) {
        if (bits <= 0 || bits % 8 != 0) {
            throw new OcularException("--bits must be a positive multiple of 8 (got " + bits + ").");
        }
        if (bits / 8 > dimension) {
            throw new OcularException("--bits " + bits + " is too many for " + dimension
                    + "-dimensional vectors (at most " + 8 * dimension + ").");
        }
    }

    /** An exact, pq or opq index over every row of {@code database} (ADC scores only). */
    static VectorIndex build(String kind, int bits, EmbeddingMatrix database, ScanPool pool) {
        return build(kind, bits, false, database, pool);
    }

    /**
     * An exact, pq or opq index over every row of {@code database}; the quantisers are trained on those rows.
     * {@code spq} needs a trained model: use {@link #spq}.
     */
    static VectorIndex build(String kind, int bits, boolean rerankExact, EmbeddingMatrix database, ScanPool pool) {
        String k = check(kind);
        if (k.equals("exact")) {
            return ExactIndex.of(database, pool);
        }
        if (k.equals("spq")) {
            throw new IllegalArgumentException("an spq index is built from a trained model");
        }
        checkBits(bits, database.dimension());
        if (database.rows() < 256) {
            throw new OcularException("A '" + k + "' index needs at least 256 vectors to train its codebooks; the"
                    + " dataset has " + database.rows() + ".");
        }
        PqConfig cfg = PqConfig.forBits(bits).withOpq(k.equals("opq")).withRerankFactor(RERANK_FACTOR);
        return PqIndex.train(database, cfg, pool,
                rerankExact ? new ExactReranker(ExactIndex.of(database, pool)) : null);
    }

    /** An SPQ index coding every row of {@code database} with {@code model}. */
    static VectorIndex spq(SpqModel model, boolean rerankExact, EmbeddingMatrix database) {
        SpqIndex index = new SpqIndex(model, rerankExact ? RERANK_FACTOR : 0);
        int d = database.dimension();
        float[] row = new float[d];
        for (int i = 0; i < database.rows(); i++) {
            System.arraycopy(database.data(), i * d, row, 0, d);
            index.add(database.ids()[i], row);
        }
        return index;
    }
}

package io.ocular.cli;

import io.ocular.model.OcularException;
import io.ocular.search.ExactIndex;
import io.ocular.search.PqConfig;
import io.ocular.search.PqIndex;
import io.ocular.search.ScanPool;
import io.ocular.search.VectorIndex;
import io.ocular.store.EmbeddingMatrix;

import java.util.List;
import java.util.Locale;

/** The vector indexes eval can build over a dataset's vectors: exact, pq, opq (spq: not in this build). */
final class IndexKinds {
    static final List<String> NAMES = List.of("exact", "pq", "opq", "spq");

    private IndexKinds() {
    }

    static String check(String kind) {
        String k = kind.toLowerCase(Locale.ROOT);
        if (!NAMES.contains(k)) {
            throw new OcularException("Unknown index '" + kind + "'; use one of " + String.join(", ", NAMES) + ".");
        }
        if (k.equals("spq")) {
            throw new OcularException("The 'spq' index is not available in this build; use exact, pq or opq.");
        }
        return k;
    }

    /**
     * An index over every row of {@code database}. Compressed kinds train their quantisers on those rows and
     * score by the codes alone (asymmetric distance, no exact re-ranking), so eval measures what the codes
     * keep.
     */
    static VectorIndex build(String kind, int bits, EmbeddingMatrix database, ScanPool pool) {
        String k = check(kind);
        if (k.equals("exact")) {
            return ExactIndex.of(database, pool);
        }
        if (bits <= 0 || bits % 8 != 0) {
            throw new OcularException("--bits must be a positive multiple of 8 (got " + bits + ").");
        }
        if (bits / 8 > database.dimension()) {
            throw new OcularException("--bits " + bits + " is too many for " + database.dimension()
                    + "-dimensional vectors (at most " + 8 * database.dimension() + ").");
        }
        if (database.rows() < 256) {
            throw new OcularException("A '" + k + "' index needs at least 256 vectors to train its codebooks; the"
                    + " dataset has " + database.rows() + ".");
        }
        return PqIndex.train(database, PqConfig.forBits(bits).withOpq(k.equals("opq")), pool, null);
    }
}

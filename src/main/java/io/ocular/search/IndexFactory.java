package io.ocular.search;

import io.ocular.model.OcularException;
import io.ocular.store.EmbeddingMatrix;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * Builds the vector indexes the front ends offer, by name: {@code exact} (every float vector scanned),
 * {@code pq}, {@code opq} (a learned rotation first), {@code ivfpq}, {@code ivfopq} (inverted lists),
 * {@code spq} (codes from a trained {@link SpqModel}) — all compact kinds are one {@link PqIndex} — and
 * {@code hnsw} (the Lucene peer, for benchmarks). {@code eval} offers {@link #EVAL_KINDS}, {@code bench search}
 * {@link #BENCH_KINDS}. Bad names and code lengths get a message that says what to use instead.
 */
public final class IndexFactory {
    public static final List<String> EVAL_KINDS = List.of("exact", "pq", "opq", "spq");
    public static final List<String> BENCH_KINDS = List.of("exact", "pq", "opq", "ivfpq", "ivfopq", "hnsw");
    /** Candidates per result re-ranked exactly (r), unless a caller asks otherwise. */
    public static final int RERANK_FACTOR = 10;
    /** The fewest vectors k-means codebooks (256 codewords per subspace) are trained on. */
    public static final int MIN_TRAINING_VECTORS = 256;

    private final ScanPool pool;

    public IndexFactory(ScanPool pool) {
        this.pool = pool;
    }

    /** The kind in lower case, or a clear error naming the kinds {@code offered}. */
    public static String check(String kind, List<String> offered) {
        String k = kind.toLowerCase(Locale.ROOT);
        if (!offered.contains(k)) {
            throw new OcularException("Unknown index '" + kind + "'; use one of " + String.join(", ", offered) + ".");
        }
        return k;
    }

    /** Whether a kind stores compact codes (and so takes a code length). */
    public static boolean isCompact(String kind) {
        return !kind.equals("exact") && !kind.equals("hnsw");
    }

    public static void checkBits(int bits, int dimension) {
        if (bits <= 0 || bits % 8 != 0) {
            throw new OcularException("--bits must be a positive multiple of 8 (got " + bits + ").");
        }
        if (bits / 8 > dimension) {
            throw new OcularException("--bits " + bits + " is too many for " + dimension
                    + "-dimensional vectors (at most " + 8 * dimension + ").");
        }
    }

    /** Exact search over every row. */
    public ExactIndex exact(EmbeddingMatrix database) {
        return ExactIndex.of(database, pool);
    }

    /** Re-scores candidates with the full vectors of {@code database}. */
    public ExactReranker exactReranker(EmbeddingMatrix database) {
        return new ExactReranker(exact(database));
    }

    /**
     * An exact, pq or opq index over every row of {@code database} as eval builds it: the quantisers are trained
     * on those rows; codes score alone (ADC) unless {@code reranker} is given ({@link #RERANK_FACTOR}·k
     * candidates). {@code spq} needs a trained model: use {@link #spq}.
     */
    public VectorIndex build(String kind, int bits, EmbeddingMatrix database, Reranker reranker) {
        String k = check(kind, EVAL_KINDS);
        if (k.equals("exact")) {
            return exact(database);
        }
        if (k.equals("spq")) {
            throw new IllegalArgumentException("an spq index is built from a trained model");
        }
        return compact(k, bits, 0, 0, RERANK_FACTOR, database, reranker);
    }

    /**
     * A pq, opq, ivfpq or ivfopq index trained on and coding every row of {@code database}.
     *
     * @param nlist        IVF lists for the ivf kinds (0: {@link IndexPolicy#nlist})
     * @param nprobe       lists visited (0: {@link IndexPolicy#nprobe})
     * @param rerankFactor r: k·r candidates go to {@code reranker} (null: ADC scores are final)
     */
    public PqIndex compact(String kind, int bits, int nlist, int nprobe, int rerankFactor, EmbeddingMatrix database,
                           Reranker reranker) {
        String k = check(kind, List.of("pq", "opq", "ivfpq", "ivfopq"));
        checkBits(bits, database.dimension());
        if (database.rows() < MIN_TRAINING_VECTORS) {
            throw new OcularException("A '" + k + "' index needs at least " + MIN_TRAINING_VECTORS + " vectors to"
                    + " train its codebooks; the dataset has " + database.rows() + ".");
        }
        PqConfig cfg = config(k, bits, nlist, nprobe, rerankFactor, database.rows());
        return PqIndex.train(database, cfg, pool, reranker);
    }

    /** The configuration {@link #compact} trains with. */
    public static PqConfig config(String kind, int bits, int nlist, int nprobe, int rerankFactor, long n) {
        PqConfig cfg = PqConfig.forBits(bits).withOpq(kind.endsWith("opq")).withRerankFactor(rerankFactor);
        if (kind.startsWith("ivf")) {
            int lists = nlist > 0 ? nlist : IndexPolicy.nlist(n);
            cfg = cfg.withIvf(lists, nprobe > 0 ? nprobe : IndexPolicy.nprobe(lists))
                    .withTraining(IndexPolicy.trainSample(lists), cfg.kmeansIterations(), cfg.opqIterations());
        }
        return cfg;
    }

    /** SPQ codes of every row of {@code database} made by a trained {@code model}, in the same PQ index. */
    public PqIndex spq(SpqModel model, EmbeddingMatrix database, Reranker reranker) {
        PqConfig cfg = PqConfig.forBits(8 * model.subspaces()).withRerankFactor(RERANK_FACTOR);
        return PqIndex.withEncoder(model, database, cfg, pool, reranker);
    }

    /**
     * The Lucene HNSW peer over every row (Lucene's default M = 16 and build beam 100; search beam {@code beam}),
     * added from all threads of the pool (one segment, and graph, per thread and flush; {@link
     * LuceneHnswIndex#mergeToOneGraph} then merges them with as many merge workers), in a memory-mapped
     * temporary folder.
     */
    public LuceneHnswIndex hnsw(EmbeddingMatrix database, int beam) {
        LuceneHnswIndex index = new LuceneHnswIndex(database.dimension(), beam, pool.parallelism(), true);
        int n = database.rows();
        List<Callable<Void>> tasks = new ArrayList<>();
        int p = pool.parallelism();
        for (int t = 0; t < p; t++) {
            int tt = t;
            tasks.add(() -> {
                for (int i = tt; i < n; i += p) {
                    index.addNew(database.ids()[i], database.row(i));
                }
                return null;
            });
        }
        pool.invokeAll(tasks);
        index.size(); // commit + open reader (part of the build)
        return index;
    }
}

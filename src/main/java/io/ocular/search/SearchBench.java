package io.ocular.search;

import io.ocular.model.ScoredId;
import io.ocular.store.EmbeddingMatrix;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The search benchmark behind {@code ocular bench search --n N --dim D --index exact|pq|opq|ivfpq|hnsw
 * [--bits B]}: synthetic clustered unit vectors ({@link SyntheticVectors}), queries near data points, exact
 * ground truth, then per index: build time, single-query latency percentiles, recall@10 against exact search,
 * and the code tier's bytes per image. Compact-code indexes re-rank {@code k·r} candidates with the full
 * vectors (kept in RAM here; in the app they can be memory-mapped).
 */
public final class SearchBench {
    private static final Logger LOG = LoggerFactory.getLogger(SearchBench.class);

    /**
     * @param n        vectors
     * @param dim      dimension
     * @param index    exact | pq | opq | ivfpq | ivfopq | hnsw (Lucene HNSW peer)
     * @param bits     code length for the compact-code indexes (multiple of 8)
     * @param queries  timed queries
     * @param nlist    IVF lists (0 = about sqrt(n))
     * @param nprobe   IVF lists visited (0 = nlist / 16, at least 8)
     * @param rerank   r, candidates kept for exact re-ranking = 10·r
     * @param seed     data seed
     */
    public record Spec(int n, int dim, String index, int bits, int queries, int nlist, int nprobe, int rerank,
                       long seed) {
        public Spec {
            if (n < 10 || dim < 2 || queries < 1) {
                throw new IllegalArgumentException("need n >= 10, dim >= 2, queries >= 1");
            }
        }

        public static Spec of(int n, int dim, String index, int bits) {
            return new Spec(n, dim, index, bits, 300, 0, 0, 10, 42);
        }

        Spec withIndex(String other) {
            return new Spec(n, dim, other, bits, queries, nlist, nprobe, rerank, seed);
        }
    }

    /** One benchmark row. {@code bits} is 32·dim for exact search and the HNSW peer (full floats). */
    public record Result(int n, int dim, String index, int bits, double p50Ms, double p99Ms, double recallAt10,
                         double bytesPerImage, double buildS, String notes) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%-7s n=%d dim=%d bits=%d p50=%.2fms p99=%.2fms recall@10=%.3f "
                    + "bytes/image=%.0f build=%.1fs %s", index, n, dim, bits, p50Ms, p99Ms, recallAt10, bytesPerImage,
                    buildS, notes);
        }
    }

    private final ScanPool pool;

    public SearchBench(ScanPool pool) {
        this.pool = pool;
    }

    public Result run(Spec spec) {
        return runAll(spec, List.of(spec.index())).get(0);
    }

    /** Several indexes over the same data, queries and ground truth. */
    public List<Result> runAll(Spec spec, List<String> indexes) {
        long t0 = System.nanoTime();
        int clusters = Math.max(10, Math.min(5000, spec.n() / 100));
        EmbeddingMatrix data = SyntheticVectors.clustered(spec.n(), spec.dim(), clusters, 0.8, spec.seed());
        float[][] queries = SyntheticVectors.queriesNear(data, spec.queries(), 0.5, spec.seed() + 1);
        LOG.info("generated {} x {} ({} clusters) in {} s", spec.n(), spec.dim(), clusters, secs(t0));
        long b0 = System.nanoTime();
        ExactIndex exact = ExactIndex.of(data, pool);
        double exactBuild = secs(b0);
        List<Set<Long>> truth = groundTruth(exact, queries);
        List<Result> out = new ArrayList<>();
        for (String kind : indexes) {
            Result r = runOne(spec.withIndex(kind), data, queries, truth, exact, exactBuild);
            LOG.info("{}", r);
            out.add(r);
        }
        return out;
    }

    private List<Set<Long>> groundTruth(ExactIndex exact, float[][] queries) {
        List<Set<Long>> truth = new ArrayList<>(queries.length);
        for (float[] q : queries) {
            Set<Long> s = new HashSet<>();
            for (ScoredId id : exact.search(q, 10)) {
                s.add(id.id());
            }
            truth.add(s);
        }
        return truth;
    }

    private Result runOne(Spec spec, EmbeddingMatrix data, float[][] queries, List<Set<Long>> truth, ExactIndex exact,
                          double exactBuild) {
        String kind = spec.index().toLowerCase(Locale.ROOT);
        int n = spec.n();
        IndexFactory factory = new IndexFactory(pool);
        switch (kind) {
            case "exact":
                return measure(spec, exact, queries, truth, 32 * spec.dim(), 4.0 * spec.dim(), exactBuild,
                        "full float vectors");
            case "pq", "opq", "ivfpq", "ivfopq": {
                long b0 = System.nanoTime();
                PqIndex index = factory.compact(kind, spec.bits(), spec.nlist(), spec.nprobe(), spec.rerank(), data,
                        new ExactReranker(exact));
                double build = secs(b0);
                PqConfig c = index.config();
                String notes = "r=" + spec.rerank() + (c.nlist() > 0 ? " nlist=" + c.nlist() + " nprobe=" + c.nprobe() : "")
                        + " (+8 B id; full vectors for re-rank outside the code tier)";
                return measure(spec, index, queries, truth, spec.bits(), index.codeBytes(), build, notes);
            }
            case "hnsw": {
                long b0 = System.nanoTime();
                LuceneHnswIndex index = factory.hnsw(data, 100);
                double build = secs(b0);
                try (index) {
                    return measure(spec, index, queries, truth, 32 * spec.dim(), (double) index.ramBytes() / n, build,
                            "Lucene 9.12.3 HNSW M=16 beam=100 numCandidates=100");
                }
            }
            default:
                throw new IllegalArgumentException("unknown index '" + spec.index()
                        + "'; use " + String.join(", ", IndexFactory.BENCH_KINDS));
        }
    }

    private Result measure(Spec spec, VectorIndex index, float[][] queries, List<Set<Long>> truth, int bits,
                           double bytesPerImage, double buildS, String notes) {
        int warm = Math.min(queries.length, 50);
        for (int i = 0; i < warm; i++) {
            index.search(queries[i], 10);
        }
        double[] ms = new double[queries.length];
        double hits = 0;
        for (int i = 0; i < queries.length; i++) {
            long t = System.nanoTime();
            List<ScoredId> res = index.search(queries[i], 10);
            ms[i] = (System.nanoTime() - t) / 1e6;
            for (ScoredId s : res) {
                if (truth.get(i).contains(s.id())) {
                    hits++;
                }
            }
        }
        Arrays.sort(ms);
        return new Result(spec.n(), spec.dim(), spec.index(), bits, percentile(ms, 0.50), percentile(ms, 0.99),
                hits / (10.0 * queries.length), bytesPerImage, buildS, notes);
    }

    private static double percentile(double[] sorted, double p) {
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    /**
     * Stand-alone entry point until the CLI wires {@code bench search}:
     * {@code --n N --dim D --index exact,pq,ivfpq,hnsw --bits B [--queries Q] [--nlist L] [--nprobe P] [--rerank R]
     * [--threads T]}.
     */
    public static void main(String[] args) {
        int n = 100_000, dim = 512, bits = 512, queries = 300, nlist = 0, nprobe = 0, rerank = 10;
        int threads = Runtime.getRuntime().availableProcessors();
        String index = "exact,pq,ivfpq,hnsw";
        for (int i = 0; i + 1 < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--n" -> n = Integer.parseInt(v);
                case "--dim" -> dim = Integer.parseInt(v);
                case "--index" -> index = v;
                case "--bits" -> bits = Integer.parseInt(v);
                case "--queries" -> queries = Integer.parseInt(v);
                case "--nlist" -> nlist = Integer.parseInt(v);
                case "--nprobe" -> nprobe = Integer.parseInt(v);
                case "--rerank" -> rerank = Integer.parseInt(v);
                case "--threads" -> threads = Integer.parseInt(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        List<String> kinds = List.of(index.split(","));
        try (ScanPool pool = new ScanPool(threads)) {
            List<Result> results = new SearchBench(pool).runAll(
                    new Spec(n, dim, kinds.get(0), bits, queries, nlist, nprobe, rerank, 42), kinds);
            results.forEach(System.out::println);
        }
    }
}

package io.ocular.search;

import io.ocular.model.ScoredId;
import com.sun.management.OperatingSystemMXBean;
import io.ocular.store.EmbeddingMatrix;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The search benchmark behind {@code ocular bench search}: synthetic clustered unit vectors
 * ({@link SyntheticVectors}), queries near data points — or real vectors grown to the size asked
 * ({@link RealVectors}), held-out photos as the queries — exact ground truth, then for the chosen index: build
 * time, single-query latency percentiles (wall clock, and the CPU time a search used on the calling thread plus
 * the scan pool, which a loaded machine does not inflate), recall@10 against exact search and the code tier's bytes per image —
 * for every requested (nprobe, rerank) pair over one trained index. Exact search's own latency is always measured
 * on the same data, and with {@code peer} the Lucene HNSW peer is built and measured in the same run. Compact-code
 * indexes re-rank {@code k·r} candidates with the full vectors (kept in RAM here; in the app they can be
 * memory-mapped).
 */
public final class SearchBench {
    private static final Logger LOG = LoggerFactory.getLogger(SearchBench.class);
    /** Exact search is timed on at most this many of the queries (it is the slow one). */
    static final int EXACT_TIMED_QUERIES = 100;

    /**
     * @param n        vectors
     * @param dim      dimension
     * @param index    exact | pq | opq | ivfpq | ivfopq | hnsw | auto (what the app would use, {@link IndexPolicy})
     * @param bits     code length for the compact-code indexes (multiple of 8)
     * @param queries  timed queries
     * @param nlist    IVF lists (0 = {@link IndexPolicy#nlist})
     * @param nprobes  IVF lists visited, one measurement each (empty = {@link IndexPolicy#nprobe})
     * @param reranks  r, candidates kept for exact re-ranking = 10·r, one measurement each
     *                 (empty = {@link IndexPolicy#rerank})
     * @param seed     data seed
     * @param peer     also build and measure the Lucene HNSW peer
     * @param rerankZ  the re-rank's stopping rule (see {@link ExactReranker#rerankAdaptive}): 0 re-scores all
     *                 10·r, negative means the app's ({@link IndexPolicy#RERANK_Z}) for {@code auto}, 0 otherwise
     */
    public record Spec(int n, int dim, String index, int bits, int queries, int nlist, List<Integer> nprobes,
                       List<Integer> reranks, long seed, boolean peer, double rerankZ, List<Integer> peerEfs) {
        /** The HNSW search beam (Lucene's numCandidates) measured when no {@code peerEfs} are given. */
        public static final int DEFAULT_PEER_EF = 100;

        public Spec(int n, int dim, String index, int bits, int queries, int nlist, List<Integer> nprobes,
                    List<Integer> reranks, long seed, boolean peer) {
            this(n, dim, index, bits, queries, nlist, nprobes, reranks, seed, peer, -1, List.of());
        }

        public Spec {
            if (n < 10 || dim < 2 || queries < 1) {
                throw new IllegalArgumentException("need n >= 10, dim >= 2, queries >= 1");
            }
            nprobes = List.copyOf(nprobes);
            reranks = List.copyOf(reranks);
            peerEfs = List.copyOf(peerEfs);
            if (nlist < 0 || nprobes.stream().anyMatch(p -> p < 1) || reranks.stream().anyMatch(r -> r < 1)) {
                throw new IllegalArgumentException("need nlist >= 0, nprobe >= 1 and rerank >= 1");
            }
            if (peerEfs.stream().anyMatch(e -> e < 10)) {
                throw new IllegalArgumentException("need peer ef >= 10 (at least k)");
            }
        }

        /** The HNSW search beams to measure, in the order asked ({@link #DEFAULT_PEER_EF} when none). */
        public List<Integer> efs() {
            return peerEfs.isEmpty() ? List.of(DEFAULT_PEER_EF) : peerEfs;
        }

        public static Spec of(int n, int dim, String index, int bits) {
            return new Spec(n, dim, index, bits, 300, 0, List.of(), List.of(), 42, false);
        }

        /** The index kind measured: {@code auto} resolved by {@link IndexPolicy}. */
        public String kind() {
            String k = index.toLowerCase(Locale.ROOT);
            return k.equals("auto") ? IndexPolicy.kindFor(n, dim) : k;
        }

        /** The stopping rule's z in use: {@link #rerankZ} if set, else the app's for {@code auto}, else 0. */
        public double z() {
            return rerankZ >= 0 ? rerankZ : index.equalsIgnoreCase("auto") ? IndexPolicy.rerankZ() : 0;
        }

        /** The code length: {@link IndexPolicy#bits} for {@code auto}, else {@code bits}. */
        public int codeBits() {
            return index.equalsIgnoreCase("auto") ? IndexPolicy.bits(dim) : bits;
        }
    }

    /**
     * One measured configuration. {@code bits} is 32·dim for exact search and the HNSW peer (full floats);
     * {@code nlist}/{@code nprobe} are 0 without IVF, {@code rerank} 0 without re-rank, {@code ef} (the HNSW
     * search beam) 0 but for HNSW.
     */
    public record Result(int n, int dim, String index, int bits, int nlist, int nprobe, int rerank, double rerankZ,
                         double rerankDepth, double p50Ms, double p99Ms, double cpuP50Ms, double recallAt10,
                         double bytesPerImage, double buildS, int timedQueries, String notes, int ef,
                         double buildCpuS) {
        public Result(int n, int dim, String index, int bits, int nlist, int nprobe, int rerank, double rerankZ,
                      double rerankDepth, double p50Ms, double p99Ms, double cpuP50Ms, double recallAt10,
                      double bytesPerImage, double buildS, int timedQueries, String notes) {
            this(n, dim, index, bits, nlist, nprobe, rerank, rerankZ, rerankDepth, p50Ms, p99Ms, cpuP50Ms, recallAt10,
                    bytesPerImage, buildS, timedQueries, notes, 0, Double.NaN);
        }

        public Result(int n, int dim, String index, int bits, int nlist, int nprobe, int rerank, double rerankZ,
                      double rerankDepth, double p50Ms, double p99Ms, double cpuP50Ms, double recallAt10,
                      double bytesPerImage, double buildS, int timedQueries, String notes, int ef) {
            this(n, dim, index, bits, nlist, nprobe, rerank, rerankZ, rerankDepth, p50Ms, p99Ms, cpuP50Ms, recallAt10,
                    bytesPerImage, buildS, timedQueries, notes, ef, Double.NaN);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%-7s n=%d dim=%d bits=%d nlist=%d nprobe=%d rerank=%d z=%.1f depth=%.0f "
                    + "ef=%d p50=%.2fms p99=%.2fms cpu-p50=%.2fms recall@10=%.4f bytes/image=%.0f build=%.1fs "
                    + "build-cpu=%.1fs %s", index, n, dim, bits, nlist, nprobe, rerank, rerankZ, rerankDepth, ef, p50Ms,
                    p99Ms, cpuP50Ms, recallAt10, bytesPerImage, buildS, buildCpuS, notes);
        }

        /** The same point with the HNSW search beam and the build's process CPU seconds recorded. */
        Result with(int beam, double cpuS) {
            return new Result(n, dim, index, bits, nlist, nprobe, rerank, rerankZ, rerankDepth, p50Ms, p99Ms, cpuP50Ms,
                    recallAt10, bytesPerImage, buildS, timedQueries, notes, beam, cpuS);
        }
    }

    /**
     * A whole run: {@code results} (one per nprobe × rerank pair, in the order asked; the first is the main one),
     * exact search on the same data, the peer's operating points (one per search beam, in the order asked; empty
     * without {@code --peer}), the peer's build split into adding (on all threads) and merging to one graph, and
     * the system load average before and after (the machine may be shared: latencies are only comparable within
     * one run), and what the vectors were ({@code data}: the Gaussian mixture, or real vectors replicated).
     */
    public record Report(Spec spec, String kind, List<Result> results, Result exact, List<Result> peers,
                         PeerBuild peerBuild, double loadBefore, double loadAfter, String data) {
        public Report {
            results = List.copyOf(results);
            peers = List.copyOf(peers);
        }

        public Result main() {
            return results.get(0);
        }

        /** The peer's first operating point, or null without a peer. */
        public Result peer() {
            return peers.isEmpty() ? null : peers.get(0);
        }

        /** Our and the peer's cheapest points at each of {@link EqualRecall#LEVELS}. */
        public List<EqualRecall> equalRecall() {
            return EqualRecall.compare(results, peers);
        }
    }

    /**
     * How the HNSW index was built: {@code addS} adding every vector from {@code threads} threads (Lucene builds
     * each segment's graph as documents arrive), {@code mergeS} merging the {@code segmentsBefore} segments into
     * one graph with as many merge workers; the build time reported is their sum.
     */
    public record PeerBuild(double addS, double mergeS, int segmentsBefore, int threads) {
    }

    /**
     * Real vectors to grow the library from instead of the Gaussian mixture: {@code Spec.queries} of them (chosen
     * by the seed) are held out as the queries — photos the library does not hold, as a new photo dropped on the
     * window — and the others are {@linkplain SyntheticVectors#replicated replicated} to {@code Spec.n} with
     * {@code noise}, so the codebooks meet real feature statistics (issue 13: "not only the Gaussian mixture").
     *
     * @param source where the vectors came from, for the report
     */
    public record RealVectors(EmbeddingMatrix vectors, double noise, String source) {
        public RealVectors {
            if (!(noise >= 0) || Double.isInfinite(noise)) {
                throw new IllegalArgumentException("noise must be >= 0: " + noise);
            }
        }
    }

    private final ScanPool pool;
    private PeerBuild lastPeerBuild;

    public SearchBench(ScanPool pool) {
        this.pool = pool;
    }

    /** The chosen index (all its nprobe × rerank pairs), exact search, and the peer when asked, on one data set. */
    public Report run(Spec spec) {
        return run(spec, null);
    }

    /** As {@link #run(Spec)}, on {@code real} vectors grown to {@code spec.n()} (null: the Gaussian mixture). */
    public Report run(Spec spec, RealVectors real) {
        lastPeerBuild = null;
        double load0 = loadAverage();
        long t0 = System.nanoTime();
        EmbeddingMatrix data;
        float[][] queries;
        String described;
        if (real == null) {
            int clusters = Math.max(10, Math.min(5000, spec.n() / 100));
            data = SyntheticVectors.clustered(spec.n(), spec.dim(), clusters, 0.8, spec.seed());
            queries = SyntheticVectors.queriesNear(data, spec.queries(), 0.5, spec.seed() + 1);
            described = String.format(Locale.ROOT, "synthetic: a %d-cluster Gaussian mixture on the unit sphere"
                    + " (spread 0.8), queries near data points (spread 0.5)", clusters);
        } else {
            EmbeddingMatrix all = real.vectors();
            if (all.dimension() != spec.dim()) {
                throw new IllegalArgumentException("the real vectors have " + all.dimension() + " dimensions, not "
                        + spec.dim());
            }
            if (all.rows() < spec.queries() + 10) {
                throw new IllegalArgumentException("need at least " + (spec.queries() + 10) + " real vectors for "
                        + spec.queries() + " held-out queries; got " + all.rows());
            }
            int[] order = shuffled(all.rows(), spec.seed() + 1);
            queries = new float[spec.queries()][];
            for (int q = 0; q < queries.length; q++) {
                queries[q] = VectorMath.normalise(all.row(order[q]));
            }
            int kept = all.rows() - queries.length;
            int dim = all.dimension();
            long[] ids = new long[kept];
            float[] rows = new float[kept * dim];
            for (int i = 0; i < kept; i++) {
                int src = order[queries.length + i];
                ids[i] = all.ids()[src];
                System.arraycopy(all.data(), src * dim, rows, i * dim, dim);
            }
            data = SyntheticVectors.replicated(new EmbeddingMatrix(all.modelId(), dim, ids, rows), spec.n(),
                    real.noise(), spec.seed());
            described = String.format(Locale.ROOT, "real: %d %s vectors of %s; %d held out as the queries, the other"
                    + " %d replicated to %d with noise %.2f (cosine ~%.3f to their photo)", all.rows(), all.modelId(),
                    real.source(), queries.length, kept, spec.n(), real.noise(),
                    1 / Math.sqrt(1 + real.noise() * real.noise()));
        }
        LOG.info("generated {} x {} in {} s: {}", spec.n(), spec.dim(), secs(t0), described);
        long b0 = System.nanoTime();
        ExactIndex exact = ExactIndex.of(data, pool);
        double exactBuild = secs(b0);
        List<Set<Long>> truth = groundTruth(exact, queries);
        String kind = spec.kind();
        List<Result> results = runKind(spec, kind, data, queries, truth, exact, exactBuild);
        results.forEach(r -> LOG.info("{}", r));
        Result exactResult = kind.equals("exact") ? results.get(0)
                : measureExact(spec, exact, queries, truth, exactBuild);
        List<Result> peers = List.of();
        if (spec.peer() && !kind.equals("hnsw")) {
            peers = runKind(spec, "hnsw", data, queries, truth, exact, exactBuild);
            peers.forEach(r -> LOG.info("{}", r));
        }
        Report report = new Report(spec, kind, results, exactResult, peers, lastPeerBuild, load0, loadAverage(),
                described);
        report.equalRecall().forEach(e -> LOG.info("{}", e));
        return report;
    }

    private Result measureExact(Spec spec, ExactIndex exact, float[][] queries, List<Set<Long>> truth,
                                double exactBuild) {
        int q = Math.min(queries.length, EXACT_TIMED_QUERIES);
        return measure(spec, "exact", 32 * spec.dim(), 0, 0, 0, exact::search, Arrays.copyOf(queries, q),
                truth.subList(0, q), 4.0 * spec.dim(), exactBuild, "full float vectors");
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

    private List<Result> runKind(Spec spec, String kind, EmbeddingMatrix data, float[][] queries,
                                 List<Set<Long>> truth, ExactIndex exact, double exactBuild) {
        int n = spec.n();
        IndexFactory factory = new IndexFactory(pool);
        switch (kind) {
            case "exact":
                return List.of(measure(spec, kind, 32 * spec.dim(), 0, 0, 0, exact::search, queries, truth,
                        4.0 * spec.dim(), exactBuild, "full float vectors"));
            case "pq", "opq", "ivfpq", "ivfopq": {
                List<Integer> reranks = spec.reranks().isEmpty() ? List.of(IndexPolicy.rerank(n)) : spec.reranks();
                int firstProbe = spec.nprobes().isEmpty() ? 0 : spec.nprobes().get(0);
                long b0 = System.nanoTime();
                long bc0 = processCpuNanos();
                PqIndex index = factory.compact(kind, spec.codeBits(), spec.nlist(), firstProbe, reranks.get(0), data,
                        new ExactReranker(exact));
                double build = secs(b0);
                double buildCpu = (processCpuNanos() - bc0) / 1e9;
                PqConfig c = index.config();
                List<Integer> probes = c.nlist() == 0 ? List.of(1)
                        : spec.nprobes().isEmpty() ? List.of(c.nprobe()) : spec.nprobes();
                String notes = "+8 B id; full vectors for re-rank outside the code tier";
                double z = spec.z();
                List<Result> out = new ArrayList<>();
                for (int p : probes) { // every point warmed before any is timed: the first is not the JIT's victim
                    for (int r : reranks) {
                        warmUp((q, k) -> index.search(q, k, null, p, r, z), queries);
                    }
                }
                for (int p : probes) {
                    for (int r : reranks) {
                        long[] before = index.rerankCounts();
                        Result res = measure(spec, kind, spec.codeBits(), c.nlist(), c.nlist() == 0 ? 0 : p, r,
                                (q, k) -> index.search(q, k, null, p, r, z), queries, truth, index.codeBytes(), build,
                                notes);
                        long[] after = index.rerankCounts();
                        double depth = after[0] == before[0] ? 0
                                : (double) (after[1] - before[1]) / (after[0] - before[0]);
                        out.add(withRerank(res, z, depth).with(0, buildCpu));
                    }
                }
                return out;
            }
            case "hnsw": {
                long b0 = System.nanoTime();
                long bc0 = processCpuNanos();
                LuceneHnswIndex index = factory.hnsw(data, Spec.DEFAULT_PEER_EF);
                double add = secs(b0);
                try (index) {
                    long m0 = System.nanoTime();
                    int segments = index.mergeToOneGraph();
                    double merge = secs(m0);
                    double build = add + merge;
                    double buildCpu = (processCpuNanos() - bc0) / 1e9;
                    lastPeerBuild = new PeerBuild(add, merge, segments, pool.parallelism());
                    LOG.info("hnsw: added {} vectors on {} threads in {} s, merged {} segments in {} s", n,
                            pool.parallelism(), add, segments, merge);
                    double bytes = (double) index.ramBytes() / n;
                    List<Result> out = new ArrayList<>();
                    spec.efs().forEach(ef -> warmUp((q, k) -> index.search(q, k, ef), queries));
                    for (int ef : spec.efs()) {
                        out.add(measure(spec, kind, 32 * spec.dim(), 0, 0, 0, (q, k) -> index.search(q, k, ef),
                                queries, truth, bytes, build, String.format(Locale.ROOT,
                                        "Lucene 9.12.3 HNSW M=16 beamWidth=100 (Lucene's defaults), added on %d"
                                                + " threads, %d segments merged to 1 graph; numCandidates=%d",
                                        pool.parallelism(), segments, ef)).with(ef, buildCpu));
                    }
                    return out;
                }
            }
            default:
                throw new IllegalArgumentException("unknown index '" + spec.index()
                        + "'; use auto, " + String.join(", ", IndexFactory.BENCH_KINDS));
        }
    }

    private Result measure(Spec spec, String kind, int bits, int nlist, int nprobe, int rerank,
                           BiFunction<float[], Integer, List<ScoredId>> search, float[][] queries,
                           List<Set<Long>> truth, double bytesPerImage, double buildS, String notes) {
        warmUp(search, queries);
        double[] ms = new double[queries.length];
        double[] cpuMs = new double[queries.length];
        double hits = 0;
        for (int i = 0; i < queries.length; i++) {
            long c = cpuNanos();
            long t = System.nanoTime();
            List<ScoredId> res = search.apply(queries[i], 10);
            ms[i] = (System.nanoTime() - t) / 1e6;
            cpuMs[i] = c < 0 ? Double.NaN : (cpuNanos() - c) / 1e6;
            for (ScoredId s : res) {
                if (truth.get(i).contains(s.id())) {
                    hits++;
                }
            }
        }
        Arrays.sort(ms);
        Arrays.sort(cpuMs);
        return new Result(spec.n(), spec.dim(), kind, bits, nlist, nprobe, rerank, 0, 0, percentile(ms, 0.50),
                percentile(ms, 0.99), percentile(cpuMs, 0.50), hits / (10.0 * queries.length), bytesPerImage, buildS, queries.length, notes);
    }

    /** Runs the first (up to) 50 queries untimed, so the JIT has compiled the search path. */
    private static void warmUp(BiFunction<float[], Integer, List<ScoredId>> search, float[][] queries) {
        int warm = Math.min(queries.length, 50);
        for (int i = 0; i < warm; i++) {
            search.apply(queries[i], 10);
        }
    }

    /**
     * CPU time (ns) used so far by the calling thread and the scan pool's workers together — what one search
     * costs in CPU, whatever else the machine runs (wall time on a shared machine counts the waits for a core
     * too) — or -1 where the JVM does not measure thread CPU time.
     */
    private long cpuNanos() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long workers = pool.workerCpuNanos();
        if (workers < 0 || !mx.isCurrentThreadCpuTimeSupported()) {
            return -1;
        }
        return mx.getCurrentThreadCpuTime() + workers;
    }

    /**
     * CPU time (ns) of the whole process so far: what a build cost, all its threads (and the JVM's own: GC, JIT)
     * together, however many other programs share the cores; -1 where the JVM does not report it.
     */
    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    private static Result withRerank(Result r, double z, double depth) {
        return new Result(r.n(), r.dim(), r.index(), r.bits(), r.nlist(), r.nprobe(), r.rerank(), z, depth, r.p50Ms(),
                r.p99Ms(), r.cpuP50Ms(), r.recallAt10(), r.bytesPerImage(), r.buildS(), r.timedQueries(), r.notes(),
                r.ef(), r.buildCpuS());
    }

    /** The system's 1-minute load average, or -1 where the platform does not report it. */
    public static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static double percentile(double[] sorted, double p) {
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    /** 0..n-1 in an order fixed by {@code seed} (Fisher–Yates). */
    private static int[] shuffled(int n, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random r = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    private static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}

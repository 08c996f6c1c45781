package io.ocular.eval;

import io.ocular.embed.ImageEncoder;
import io.ocular.embed.ImageResampler;
import io.ocular.model.OcularException;
import io.ocular.search.DatabaseAugmentation;
import io.ocular.search.OrientationClassifier;
import io.ocular.search.QueryExpansion;
import io.ocular.search.VectorIndex;
import io.ocular.search.QuarterTurns;
import io.ocular.search.TurnRefinement;
import io.ocular.store.EmbeddingMatrix;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.LongFunction;
import java.util.function.Function;

/**
 * The one evaluation pipeline of {@code ocular eval}: index the dataset (global vectors, from the
 * {@link FeatureCache} when it has them) → query views (turned copies of each query, with rotation handling) →
 * build the index → local features (with {@code --rerank local}) → evaluate → report. The front end supplies
 * how photos are indexed ({@link Indexing}: the engine, in a throwaway data folder) and how an index is built
 * ({@link IndexBuilder}: exact, PQ, OPQ, SPQ); it keeps the options and the printing.
 */
public final class EvalPipeline {

    /** How the dataset's photos get their global vectors. */
    public interface Indexing {
        String modelId();

        /** The model file's SHA-256 (part of the cache key), or null. */
        String modelSha256();

        /** Indexes the photos; one vector per photo in order, null where the indexer skipped it. */
        float[][] index(List<Path> images);

        /** The model's encoder (for turned query views). */
        ImageEncoder encoder();
    }

    /** Builds the searchable index over the database vectors; may add to the report. */
    public interface IndexBuilder {
        Built build(EmbeddingMatrix database, List<Path> databasePhotos, float[][] databaseFeatures);
    }

    /**
     * A built index and what to report about building it.
     *
     * @param queryVectors the vector a query photo (by id) searches this index with, when the index reads
     *                     vectors of its own (SPQ's map head pools the feature map itself); null: the indexer's
     */
    public record Built(VectorIndex index, Map<String, Object> report, LongFunction<float[]> queryVectors) {
        public Built(VectorIndex index, Map<String, Object> report) {
            this(index, report, null);
        }
    }

    /**
     * @param rotations   search with the query turned by quarter turns too
     * @param turnPenalty score a turned view pays
     * @param local       local verification settings, or null for global only
     * @param dbaNeighbours database-side augmentation: neighbours joined to each database vector (0 = off)
     * @param dbaAlpha    weight exponent of the augmentation
     * @param upright     every photo (database and queries) is indexed by its vector turned upright, as an
     *                    {@link OrientationClassifier} fitted on the dataset's own photos decides; a query that
     *                    is a library photo then searches once with its stored vector
     * @param turnSize    shorter side of the network input for the turned query views (the upright view keeps the
     *                    encoder's own size); 0: the encoder's own size for all four
     * @param queryTurns  each query photo is turned by this many quarter turns before it is embedded (sideways
     *                    copies of the queries: how well rotation handling finds a sideways example's photos)
     * @param refineTurns with a {@code turnSize}: a turn whose small view beats the upright one is embedded again
     *                    at full size ({@link TurnRefinement}, what the app does)
     */
    public record Options(boolean rotations, float turnPenalty, LocalRerankStage local, int candidates,
                          QueryExpansion expansion, int dbaNeighbours, float dbaAlpha, boolean upright,
                          int turnSize, int queryTurns, boolean refineTurns) {
        public Options(boolean rotations, float turnPenalty, LocalRerankStage local, int candidates,
                       QueryExpansion expansion, int dbaNeighbours, float dbaAlpha, boolean upright,
                       int turnSize, int queryTurns) {
            this(rotations, turnPenalty, local, candidates, expansion, dbaNeighbours, dbaAlpha, upright, turnSize,
                    queryTurns, false);
        }

        public Options(boolean rotations, float turnPenalty, LocalRerankStage local, int candidates,
                       QueryExpansion expansion) {
            this(rotations, turnPenalty, local, candidates, expansion, 0, 0f, false);
        }

        public Options(boolean rotations, float turnPenalty, LocalRerankStage local, int candidates,
                       QueryExpansion expansion, int dbaNeighbours, float dbaAlpha, boolean upright) {
            this(rotations, turnPenalty, local, candidates, expansion, dbaNeighbours, dbaAlpha, upright, 0, 0);
        }
    }

    private final FeatureCache cache;
    private long oneViewNanos;
    private long fourViewNanos;
    private long oneViewCpuNanos;
    private long fourViewCpuNanos;
    private int timedQueries;
    /** Per query id (when the turned views were embedded in this run): CPU ns of the upright view, the three small
     * views, and each turn at full size (refinement). */
    private final Map<Long, long[]> refineCpu = new HashMap<>();
    private final Function<Path, BufferedImage> decoder;
    private final PrintWriter err;
    private final BooleanSupplier cancelled;

    /**
     * @param cache   feature cache, or null
     * @param decoder decodes a photo for the encoder (shorter side at the encoder's preferred size)
     */
    public EvalPipeline(FeatureCache cache, Function<Path, BufferedImage> decoder, PrintWriter err,
                        BooleanSupplier cancelled) {
        this.cache = cache;
        this.decoder = decoder;
        this.err = err;
        this.cancelled = cancelled;
    }

    public EvalReport run(GroundTruth truth, Indexing indexing, IndexBuilder builder, Options options) {
        long start = System.nanoTime();
        List<Path> images = truth.images();
        // 1. global vectors
        String baseKey = FeatureCache.key("base", indexing.modelId(), indexing.modelSha256(), images, "indexer");
        float[][] features = cache == null ? null
                : cache.load(baseKey).map(FeatureCache::firstViews).filter(f -> f.length == images.size()).orElse(null);
        boolean featuresCached = features != null;
        if (features == null) {
            features = indexing.index(images);
            if (cache != null) {
                cache.save(baseKey, FeatureCache.single(features));
            }
        }
        int skipped = 0;
        for (float[] f : features) {
            skipped += f == null ? 1 : 0;
        }
        double indexSeconds = (System.nanoTime() - start) / 1e9;
        // ids are positions in truth.images(); the evaluator only needs them to be stable and unique
        Map<Path, Long> ids = new HashMap<>();
        for (int i = 0; i < images.size(); i++) {
            if (features[i] != null) {
                ids.put(images.get(i), (long) i);
            }
        }
        final float[][] vectors = features;

        Map<String, Object> uprightReport = null;
        if (options.upright()) {
            uprightReport = turnUpright(images, ids, vectors, indexing);
        }
        // 2. turned query views
        Map<Long, float[][]> turned = null;
        double turnSeconds = 0;
        if (options.rotations()) {
            long t = System.nanoTime();
            if (options.turnSize() > 0 && !indexing.encoder().takesAnySize()) {
                throw new OcularException("--turn-size needs a model that takes any input size (a CNN feature model"
                        + " such as mobilenetv2-int8); " + indexing.modelId() + " has a fixed one.");
            }
            if (options.refineTurns() && options.turnSize() <= 0) {
                throw new OcularException("refining turned views needs a --turn-size.");
            }
            turned = turnedQueries(truth, ids, indexing, options.turnSize(), options.queryTurns(),
                    options.refineTurns());
            turnSeconds = (System.nanoTime() - t) / 1e9;
        }

        // 3. the index
        List<Path> dbPhotos = truth.database();
        float[][] dbFeatures = new float[dbPhotos.size()][];
        for (int i = 0; i < dbPhotos.size(); i++) {
            Long id = ids.get(dbPhotos.get(i));
            dbFeatures[i] = id == null ? null : vectors[id.intValue()];
        }
        long buildStart = System.nanoTime();
        Built built = builder.build(database(indexing.modelId(), truth, ids, vectors), dbPhotos, dbFeatures);
        double buildSeconds = (System.nanoTime() - buildStart) / 1e9;

        InstanceSearcher.Augmentation dba = options.dbaNeighbours() <= 0 ? null
                : new InstanceSearcher.Augmentation(options.dbaNeighbours(), options.dbaAlpha(), built.index()::search);

        // 4. local features
        LocalRerankStage.Prepared local = null;
        if (options.local() != null) {
            err.println("Local features of " + ids.size() + " photos" + (options.rotations() ? " (queries in 4 turns)" : "")
                    + "...");
            err.flush();
            local = options.local().prepare(truth, ids, options.rotations(), err, cancelled);
        }

        // 5. evaluate
        if (built.queryVectors() != null && (turned != null || dba != null || local != null)) {
            throw new OcularException("This index reads vectors of its own: use it with --rotations off and"
                    + " without --dba or --rerank local.");
        }
        LongFunction<float[]> queryVector = built.queryVectors() != null ? built.queryVectors()
                : id -> vectors[(int) id];
        InstanceSearcher searcher = new InstanceSearcher(built.index()::search, turned, options.turnPenalty(),
                local == null ? null : local.verifier(), local == null ? null : local.queryViews(),
                options.candidates(), options.expansion(), queryVector, dba);
        // a query turned sideways (--query-turns) searches as it is with its own turned embedding, not its indexed one
        Map<Long, float[][]> views = turned;
        LongFunction<float[]> asQueried = options.queryTurns() == 0 || views == null ? queryVector
                : id -> views.containsKey(id) ? views.get(id)[0] : queryVector.apply(id);
        EvalReport report = new Evaluator().evaluate(truth, ids, asQueried, searcher);
        for (var e : built.report().entrySet()) {
            report = report.with(e.getKey(), e.getValue());
        }
        report = report.with("build_s", buildSeconds).with("rotations", options.rotations());
        if (uprightReport != null) {
            for (var e : uprightReport.entrySet()) {
                report = report.with(e.getKey(), e.getValue());
            }
        }
        if (dba != null) {
            double[] ms = searcher.dbaMsPerQuery();
            report = report.with("dba_neighbours", dba.neighbours()).with("dba_alpha", dba.alpha())
                    .with("dba_short_list", DatabaseAugmentation.SHORT_LIST)
                    .with("dba_ms_per_query", ms[0]).with("dba_cpu_ms_per_query", ms[1]);
        }
        if (options.expansion().enabled()) {
            report = report.with("qe_neighbours", options.expansion().neighbours())
                    .with("qe_alpha", options.expansion().alpha())
                    .with("qe_verified_only", local != null);
        }
        if (options.rotations()) {
            report = report.with("turn_penalty", options.turnPenalty())
                    .with("turn_size", options.turnSize() > 0 ? options.turnSize()
                            : indexing.encoder().preferredShortSide())
                    .with("query_turns", options.queryTurns())
                    .with("turned_queries_s", turnSeconds)
                    .with("global_ms_per_query", searcher.globalMsPerQuery());
            if (timedQueries > 0) { // measured when the turned views were embedded (not when cached)
                report = report.with("embed_ms_per_query_upright", oneViewNanos / 1e6 / timedQueries)
                        .with("embed_ms_per_query_4_turns", fourViewNanos / 1e6 / timedQueries)
                        .with("embed_cpu_ms_per_query_upright", oneViewCpuNanos / 1e6 / timedQueries)
                        .with("embed_cpu_ms_per_query_4_turns", fourViewCpuNanos / 1e6 / timedQueries);
            }
            if (options.refineTurns()) {
                report = withRefinement(report, searcher.refined());
            }
        }
        if (local != null) {
            report = LocalReport.add(report, truth, ids, searcher, local, options.candidates());
        }
        return report.with("skipped", skipped)
                .with("features_cached", featuresCached)
                .with("index_seconds", indexSeconds)
                .withSeconds((System.nanoTime() - start) / 1e9);
    }

    /**
     * What refining small turned views cost: per query the upright view, the three small views and each turn
     * embedded again at full size (CPU measured when the views were embedded in this run, not when cached).
     */
    private EvalReport withRefinement(EvalReport report, Map<Long, List<Integer>> refined) {
        int fired = 0;
        int[] perTurn = new int[4];
        for (List<Integer> f : refined.values()) {
            fired += f.isEmpty() ? 0 : 1;
            for (int t : f) {
                perTurn[t]++;
            }
        }
        report = report.with("turn_refine", true)
                .with("queries_refined", fired)
                .with("turns_refined_1_2_3", perTurn[1] + "," + perTurn[2] + "," + perTurn[3]);
        long upright = 0;
        long total = 0;
        int n = 0;
        for (Map.Entry<Long, List<Integer>> e : refined.entrySet()) {
            long[] cpu = refineCpu.get(e.getKey());
            if (cpu == null) {
                continue;
            }
            upright += cpu[0];
            total += cpu[0] + cpu[1];
            for (int t : e.getValue()) {
                total += cpu[1 + t];
            }
            n++;
        }
        if (n > 0) {
            report = report.with("embed_cpu_ms_per_query_refined", total / 1e6 / n)
                    .with("embed_cpu_ratio_refined", (double) total / upright);
        }
        return report;
    }

    /**
     * Upright indexing: every photo embedded in 4 turns (cached), an orientation classifier fitted on them without
     * labels, and each photo's vector replaced by the view the classifier finds upright (in place).
     */
    private Map<String, Object> turnUpright(List<Path> images, Map<Path, Long> ids, float[][] vectors,
                                            Indexing indexing) {
        List<Path> all = new ArrayList<>();
        for (Path p : images) {
            if (ids.containsKey(p)) {
                all.add(p);
            }
        }
        long t0 = System.nanoTime();
        Map<Long, float[][]> views = turnedViews(all, ids, indexing, 0, 0, false);
        double viewsSeconds = (System.nanoTime() - t0) / 1e9;
        long t1 = System.nanoTime();
        OrientationClassifier classifier = OrientationClassifier.fit(views.values().toArray(new float[0][][]),
                300, 1e-3f);
        double fitSeconds = (System.nanoTime() - t1) / 1e9;
        int[] turned = new int[4];
        for (Map.Entry<Long, float[][]> e : views.entrySet()) {
            int c = classifier.uprightTurns(e.getValue());
            turned[c]++;
            vectors[e.getKey().intValue()] = e.getValue()[c];
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("upright", true);
        r.put("upright_turns_0_1_2_3", Arrays.toString(turned));
        r.put("upright_views_s", viewsSeconds);
        r.put("upright_fit_s", fitSeconds);
        return r;
    }

    /** Each query's global vector turned 0, 1, 2, 3 quarter turns (cached). */
    private Map<Long, float[][]> turnedQueries(GroundTruth truth, Map<Path, Long> ids, Indexing indexing,
                                               int turnSize, int queryTurns, boolean refine) {
        List<Path> queries = new ArrayList<>();
        for (GroundTruth.QuerySpec q : truth.queries()) {
            if (ids.containsKey(q.image())) {
                queries.add(q.image());
            }
        }
        return turnedViews(queries, ids, indexing, turnSize, queryTurns, refine);
    }

    /**
     * Each photo's global vector turned 0, 1, 2, 3 quarter turns (cached); photos that fail are left out. With a
     * {@code turnSize} above 0 the three turned views are embedded at that shorter side; with {@code queryTurns}
     * each photo is first turned by that many quarter turns (a sideways copy). With {@code refine} each photo also
     * gets its three turns at full size (views 4–6), which the search uses only where {@link TurnRefinement} says so.
     */
    Map<Long, float[][]> turnedViews(List<Path> queries, Map<Path, Long> ids, Indexing indexing, int turnSize,
                                     int queryTurns, boolean refine) {
        String key = FeatureCache.key("turns", indexing.modelId(), indexing.modelSha256(), queries,
                (turnSize > 0 ? "turns=4,turn-size=" + turnSize + ",shrunk-once" : "turns=4")
                        + (queryTurns != 0 ? ",query-turns=" + queryTurns : "") + (refine ? ",refine" : ""));
        float[][][] views = cache == null ? null
                : cache.load(key).filter(v -> v.length == queries.size()).orElse(null);
        if (views == null) {
            err.println("Embedding " + queries.size() + " photos in 4 turns...");
            err.flush();
            views = new float[queries.size()][][];
            ImageEncoder encoder = indexing.encoder();
            for (int i = 0; i < queries.size(); i++) {
                if (cancelled.getAsBoolean()) {
                    throw new CancellationException();
                }
                BufferedImage img;
                try {
                    img = QuarterTurns.rotate(decoder.apply(queries.get(i)), queryTurns);
                } catch (RuntimeException e) {
                    continue; // unreadable now: the query falls back to its indexed vector
                }
                // the cost of rotation handling: the query as it is alone, then all four turns (same load)
                long a = System.nanoTime();
                long ca = InstanceSearcher.processCpuNanos();
                encoder.encode(List.of(img));
                long b = System.nanoTime();
                long cb = InstanceSearcher.processCpuNanos();
                long cu = cb;
                if (turnSize > 0) { // the upright view as it is, the three turns smaller
                    float[] upright = encoder.encode(List.of(img))[0];
                    cu = InstanceSearcher.processCpuNanos();
                    BufferedImage small = ImageResampler.shrunk(img, turnSize); // once, then turned
                    List<BufferedImage> batch = new ArrayList<>(3);
                    for (int t = 1; t < 4; t++) {
                        batch.add(QuarterTurns.rotate(small, t));
                    }
                    float[][] turned = encoder.encode(batch, turnSize);
                    views[i] = new float[][] {upright, turned[0], turned[1], turned[2]};
                } else {
                    List<BufferedImage> batch = new ArrayList<>(4);
                    for (int t : QuarterTurns.ALL) {
                        batch.add(QuarterTurns.rotate(img, t));
                    }
                    views[i] = encoder.encode(batch);
                }
                long cEnd = InstanceSearcher.processCpuNanos();
                oneViewNanos += b - a;
                fourViewNanos += System.nanoTime() - b;
                oneViewCpuNanos += cb - ca;
                fourViewCpuNanos += cEnd - cb;
                if (refine) { // what the app pays for each turn it embeds again at full size, one at a time
                    long[] cpu = {cb - ca, cEnd - cu, 0, 0, 0}; // upright, the three small views, turns 1-3 full
                    views[i] = Arrays.copyOf(views[i], 7);
                    for (int t = 1; t < 4; t++) {
                        long c0 = InstanceSearcher.processCpuNanos();
                        views[i][3 + t] = encoder.encode(List.of(QuarterTurns.rotate(img, t)))[0];
                        cpu[1 + t] = InstanceSearcher.processCpuNanos() - c0;
                    }
                    refineCpu.put(ids.get(queries.get(i)), cpu);
                }
                timedQueries++;
            }
            if (cache != null) {
                cache.save(key, views);
            }
        }
        Map<Long, float[][]> out = new LinkedHashMap<>();
        for (int i = 0; i < queries.size(); i++) {
            if (views[i] != null) {
                out.put(ids.get(queries.get(i)), views[i]);
            }
        }
        return out;
    }

    /** The vectors of the protocol's database files (queries of the cifar protocol are left out). */
    static EmbeddingMatrix database(String modelId, GroundTruth truth, Map<Path, Long> ids, float[][] vectors) {
        int d = -1;
        for (float[] v : vectors) {
            if (v != null) {
                d = v.length;
                break;
            }
        }
        if (d < 0) {
            throw new OcularException("None of the dataset's images could be embedded (see 'skipped').");
        }
        float[] rows = new float[truth.database().size() * d];
        long[] rowIds = new long[truth.database().size()];
        int n = 0;
        for (Path p : truth.database()) {
            Long id = ids.get(p);
            if (id != null) {
                System.arraycopy(vectors[id.intValue()], 0, rows, n * d, d);
                rowIds[n++] = id;
            }
        }
        if (n == 0) {
            throw new OcularException("None of the dataset's images could be embedded (see 'skipped').");
        }
        return new EmbeddingMatrix(modelId, d, Arrays.copyOf(rowIds, n), Arrays.copyOf(rows, n * d));
    }
}

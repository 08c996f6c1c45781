package io.ocular.cli;

import io.ocular.engine.AppPaths;
import io.ocular.engine.Engine;
import io.ocular.engine.ModelService;
import io.ocular.eval.EvalReport;
import io.ocular.eval.Evaluator;
import io.ocular.eval.FeatureCache;
import io.ocular.eval.GroundTruth;
import io.ocular.eval.InstanceEval;
import io.ocular.eval.Protocols;
import io.ocular.embed.LocalFeatureExtractor;
import io.ocular.model.ImageRecord;
import io.ocular.model.ScoredId;
import io.ocular.search.local.CatalogLocalFeatureStore;
import io.ocular.search.local.InstanceSearch;
import io.ocular.search.local.LocalFeatureCodec;
import io.ocular.search.local.LocalFeatureModel;
import io.ocular.search.local.LocalFeatures;
import io.ocular.search.local.LocalVerifier;
import io.ocular.search.local.VerificationResult;
import io.ocular.search.local.VerifiedCandidate;
import io.ocular.model.IndexProgress;
import io.ocular.model.ModelInfo;
import io.ocular.model.OcularException;
import io.ocular.search.IndexFactory;
import io.ocular.search.ScanPool;
import io.ocular.search.VectorIndex;
import io.ocular.store.Catalog;
import io.ocular.store.EmbeddingMatrix;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Measure retrieval quality on a labelled dataset.",
                "The dataset is indexed into a throwaway data folder with a model from your model store."})
final class EvalCommand implements Callable<Integer> {
    @ParentCommand
    OcularCli root;
    @Spec
    CommandSpec spec;

    @Option(names = "--dataset", required = true, paramLabel = "DIR", description = "The dataset folder.")
    Path dataset;

    @Option(names = "--protocol", required = true, paramLabel = "NAME",
            description = "holidays | ukbench | classes | cifar | instance. instance: a generated instance-retrieval"
                    + " set from a Corel-style dataset (edited copies, same-class clutter, distractor queries): global"
                    + " vs local re-ranking with the MobileNetV2 feature model, distractor rejection, true-match loss.")
    String protocol;

    @Option(names = "--model", paramLabel = "ID",
            description = "Model from your model store (default: the active model of your data folder, else the built-in one)."
                    + " Import it first with 'ocular models import'.")
    String model;

    @Option(names = "--index", paramLabel = "KIND", defaultValue = "exact",
            description = {"exact | pq | opq | spq (default: ${DEFAULT-VALUE}).",
                    "spq is trained on the protocol's database photos, without labels."})
    String index;

    @Option(names = "--bits", paramLabel = "N", defaultValue = "64",
            description = "Code length of compressed indexes: 16, 32, 64, ... (default: ${DEFAULT-VALUE}).")
    int bits;

    @Option(names = "--rerank-exact",
            description = "Compressed indexes re-rank their best candidates with the full vectors"
                    + " (default: rank by the codes alone, which is what measures the codes).")
    boolean rerankExact;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "30",
            description = "SPQ training epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--views", paramLabel = "N", defaultValue = "2",
            description = "Augmented views per photo for SPQ training (default: ${DEFAULT-VALUE}).")
    int views;

    @Option(names = "--cycle-weight", paramLabel = "LAMBDA", defaultValue = "0",
            description = "Weight of SPQ's cycle-consistency term, folders acting as videos (default: ${DEFAULT-VALUE} = off).")
    float cycleWeight;

    @Option(names = "--codewords", paramLabel = "K", defaultValue = "256",
            description = "SPQ codewords per subspace, a power of two (default: ${DEFAULT-VALUE});"
                    + " subspaces = bits / log2(K).")
    int codewords;

    @Option(names = "--spq-batch", paramLabel = "N", defaultValue = "256",
            description = "SPQ training batch size (default: ${DEFAULT-VALUE}).")
    int spqBatch;

    @Option(names = "--cache", paramLabel = "DIR",
            description = "Where encoder features (and SPQ training views) are kept between runs"
                    + " (default: the system property ocular.eval.cache, else ocular-eval-cache in the temp folder).")
    Path cacheDir;

    @Option(names = "--no-cache", description = "Always re-embed the dataset; read and write no feature cache.")
    boolean noCache;

    @Option(names = "--rerank", paramLabel = "MODE", defaultValue = "none",
            description = "none | local (default: ${DEFAULT-VALUE}). local: verify the global top --candidates by"
                    + " local features of the MobileNetV2 feature model (it must be installed).")
    String rerank;

    @Option(names = "--candidates", paramLabel = "K", defaultValue = "100",
            description = "With --rerank local: global results re-ranked per query (default: ${DEFAULT-VALUE}).")
    int candidates;

    @Option(names = "--ukbench", paramLabel = "DIR",
            description = "With --protocol instance: also score UKBench-style groups of 4 in DIR/images.")
    Path ukbench;

    @Option(names = "--scale", paramLabel = "F", defaultValue = "1.0",
            description = "With --protocol instance: fraction of the default split (120 sources, 150 clutter,"
                    + " 100 distractors, 60 training photos) (default: ${DEFAULT-VALUE}).")
    double scale;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        if (!rerank.equals("none") && !rerank.equals("local")) {
            throw new OcularException("Unknown re-ranking '" + rerank + "'; use none or local.");
        }
        if (candidates < 1) {
            throw new OcularException("--candidates must be at least 1.");
        }
        if (protocol.equals("instance")) {
            return instanceProtocol();
        }
        boolean local = rerank.equals("local");
        if (local) { // fail before indexing anything
            ModelService.open(root.paths()).localFeatureModel()
                    .orElseThrow(InstanceSearch.ModelMissingException::new);
        }
        GroundTruth truth = Protocols.load(protocol, dataset);
        index = IndexFactory.check(index, IndexFactory.EVAL_KINDS);
        EvalSpq.Settings spqSettings = new EvalSpq.Settings(bits, codewords, epochs, views, cycleWeight, spqBatch);
        if (index.equals("spq")) {
            // checks the SPQ options, and that the database can be big enough, before any costly work
            EvalSpq.checkEnough(truth.database().size(), EvalSpq.config(spqSettings));
        }
        // local re-ranking needs the dataset indexed with local features, so it never uses cached vectors
        FeatureCache cache = noCache || local ? null
                : new FeatureCache(cacheDir != null ? cacheDir : defaultCacheDir());
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        AppPaths user = root.paths();
        Path tmp = Files.createTempDirectory("ocular-eval-");
        try {
            AppPaths evalPaths = AppPaths.under(tmp).withModelsDir(user.modelsDir()).createDirectories();
            EvalReport report;
            String modelId = model != null ? model : Engine.activeModelId(user).orElse(null);
            try (CtrlC ctrlC = new CtrlC(); Engine ocular = root.opener().open(evalPaths, modelId)) {
                ModelInfo active = ocular.activeModel();
                List<Path> images = truth.images();
                String baseKey = FeatureCache.key("base", active.id(), active.sha256(), images, "indexer");
                float[][] features = cache == null ? null
                        : cache.load(baseKey).map(FeatureCache::firstViews).filter(f -> f.length == images.size())
                        .orElse(null);
                boolean featuresCached = features != null;
                int skipped;
                if (features == null) {
                    Path folder = dataset.toAbsolutePath().normalize();
                    IndexProgress last = IndexRun.runToCompletion(ocular.indexer(), () -> {
                        if (local) {
                            ocular.setInstanceSearch(true); // local features follow the global pass
                        }
                        ocular.indexer().addFolder(folder);
                    }, err, ctrlC);
                    if (ctrlC.interrupted()) {
                        err.println("Cancelled.");
                        return 130;
                    }
                    skipped = (int) last.skipped();
                    features = features(ocular.catalog(), active.id(), images);
                    if (cache != null) {
                        cache.save(baseKey, FeatureCache.single(features));
                    }
                } else {
                    skipped = 0;
                    for (float[] f : features) {
                        skipped += f == null ? 1 : 0;
                    }
                }
                double indexSeconds = (System.nanoTime() - start) / 1e9;
                // ids are positions in truth.images(); the evaluator only needs them to be stable and unique
                Map<Path, Long> ids = new HashMap<>();
                for (int i = 0; i < images.size(); i++) {
                    if (features[i] != null) {
                        ids.put(images.get(i), (long) i);
                    }
                }
                float[][] vectors = features;
                EmbeddingMatrix database = database(active.id(), truth, ids, vectors);
                long buildStart = System.nanoTime();
                VectorIndex vi;
                EvalSpq.Result spq = null;
                LocalRerank reranker = null;
                try (ScanPool pool = ScanPool.perCore()) {
                    IndexFactory factory = new IndexFactory(pool);
                    if (index.equals("spq")) {
                        List<Path> dbPhotos = truth.database();
                        float[][] dbFeatures = new float[dbPhotos.size()][];
                        for (int i = 0; i < dbPhotos.size(); i++) {
                            Long id = ids.get(dbPhotos.get(i));
                            dbFeatures[i] = id == null ? null : vectors[id.intValue()];
                        }
                        spq = EvalSpq.train(dbPhotos, dbFeatures, ocular.imageEncoder(), active, cache, spqSettings,
                                err, ctrlC::interrupted);
                        vi = factory.spq(spq.model(), database, rerankExact ? factory.exactReranker(database) : null);
                    } else {
                        vi = factory.build(index, bits, database, rerankExact ? factory.exactReranker(database) : null);
                    }
                    double buildSeconds = (System.nanoTime() - buildStart) / 1e9;
                    Evaluator.QuerySearcher searcher = (qid, q, want) -> vi.search(q, want);
                    if (local) {
                        reranker = new LocalRerank(ocular, vi, candidates, catalogIds(ocular.catalog(), ids));
                        searcher = reranker;
                    }
                    report = new Evaluator().evaluate(truth, ids, id -> vectors[(int) id], searcher)
                            .with("model", activeId(active))
                            .with("index", index);
                    if (!index.equals("exact")) {
                        report = report.with("bits", bits)
                                .with("rerank_exact", rerankExact)
                                .with("build_s", buildSeconds);
                    }
                }
                if (spq != null) {
                    report = report.with("epochs", epochs)
                            .with("views", views)
                            .with("codewords", codewords)
                            .with("cycle_weight", cycleWeight)
                            .with("train_photos", spq.photos())
                            .with("cycle_partners", spq.cyclePartners())
                            .with("views_cached", spq.viewsCached())
                            .with("views_s", spq.viewsSeconds())
                            .with("train_s", spq.trainSeconds());
                }
                if (reranker != null) {
                    report = reranker.addTo(report, truth, ids);
                }
                report = report.with("rerank", rerank)
                        .with("skipped", skipped)
                        .with("features_cached", featuresCached)
                        .with("index_seconds", indexSeconds)
                        .withSeconds((System.nanoTime() - start) / 1e9);
            } catch (CancellationException e) {
                err.println("Cancelled.");
                return 130;
            }
            if (json) {
                out.println(report.toJson());
            } else {
                out.println(report.toText());
            }
            out.flush();
            return 0;
        } finally {
            TempDirs.deleteRecursively(tmp);
        }
    }

    /**
     * Global top-K by the index, then local verification of the short list with the query's stored local
     * features (the query is a dataset image, so its features were computed while indexing); the rest keeps
     * its global order. Records per query whether the answer was "no confident match".
     */
    private static final class LocalRerank implements Evaluator.QuerySearcher {
        private final InstanceSearch instance;
        private final LocalVerifier verifier;
        private final LocalFeatureModel model;
        private final VectorIndex index;
        private final int k;
        private final Map<Long, VerificationResult> results = new HashMap<>();
        private long verifyNanos;
        private int queries;

        /** Evaluation ids are positions in the ground truth; local features are stored by catalog id. */
        private final Map<Long, Long> toCatalog;
        private final Map<Long, Long> toPosition = new HashMap<>();

        LocalRerank(Engine ocular, VectorIndex index, int k, Map<Long, Long> toCatalog) {
            this.toCatalog = toCatalog;
            toCatalog.forEach((pos, cat) -> toPosition.put(cat, pos));
            this.instance = ocular.instance().orElseThrow(() -> new OcularException("Instance search is not available."));
            this.verifier = instance.verifier().orElseThrow(() -> new OcularException("No local features were computed"
                    + " (the dataset needs at least " + instance.config().minImages() + " readable images)."));
            this.model = instance.model().orElseThrow();
            this.index = index;
            this.k = k;
        }

        @Override
        public List<ScoredId> search(long queryId, float[] q, int want) {
            List<ScoredId> global = new ArrayList<>(index.search(q, Math.max(want, k) + 1));
            // the query is not verified against itself (that would always be "confident"); where the protocol
            // keeps it in the database it stays first, as a self-match would rank it
            boolean self = global.removeIf(s -> s.id() == queryId);
            List<ScoredId> head = new ArrayList<>();
            for (ScoredId s : global.subList(0, Math.min(k, global.size()))) {
                head.add(new ScoredId(toCatalog.getOrDefault(s.id(), -1L), s.score()));
            }
            LocalFeatures qf = instance.catalog().imageData(toCatalog.getOrDefault(queryId, -1L),
                            CatalogLocalFeatureStore.KIND)
                    .map(b -> LocalFeatureCodec.decode(b, model.pca().id()))
                    .orElse(LocalFeatures.empty(1, 1, model.pca().outputDimension()));
            long t = System.nanoTime();
            VerificationResult r = verifier.verify(qf, head);
            verifyNanos += System.nanoTime() - t;
            queries++;
            results.put(queryId, r);
            List<ScoredId> out = new ArrayList<>(global.size() + 1);
            if (self) {
                out.add(new ScoredId(queryId, Float.MAX_VALUE));
            }
            for (VerifiedCandidate c : r.ranked()) {
                out.add(new ScoredId(toPosition.getOrDefault(c.id(), -1L), c.score()));
            }
            float floor = out.isEmpty() ? 0 : out.get(out.size() - 1).score();
            for (ScoredId s : global.subList(head.size(), global.size())) {
                out.add(new ScoredId(s.id(), Math.min(floor, s.score()))); // below every verified candidate
            }
            return out;
        }

        EvalReport addTo(EvalReport report, GroundTruth truth, Map<Path, Long> ids) {
            long bytes = 0;
            long blobs = 0;
            for (long id : toCatalog.values()) {
                var b = instance.catalog().imageData(id, CatalogLocalFeatureStore.KIND);
                if (b.isPresent()) {
                    bytes += b.get().length;
                    blobs++;
                }
            }
            report = report.with("rerank_candidates", k)
                    .with("keypoints", model.selector().name())
                    .with("verify_ms_per_query", queries == 0 ? 0 : verifyNanos / 1e6 / queries)
                    .with("extra_bytes_per_image", blobs == 0 ? 0 : bytes / (double) blobs)
                    .with("images_with_local_features", blobs);
            var lastPass = instance.catalog().setting(InstanceSearch.LAST_PASS_SETTING);
            if (lastPass.isPresent()) {
                report = report.with("local_features_pass", lastPass.get());
            }
            if (truth.protocol().equals("ukbench") || truth.protocol().equals("holidays")) {
                // instance protocols: a query with true matches answered "no confident match" lost them
                int withMatches = 0;
                int lost = 0;
                for (GroundTruth.QuerySpec q : truth.queries()) {
                    Long qid = ids.get(q.image());
                    VerificationResult r = qid == null ? null : results.get(qid);
                    boolean hasMatch = q.relevant().stream().anyMatch(p -> !p.equals(q.image()) && ids.containsKey(p));
                    if (r != null && hasMatch) {
                        withMatches++;
                        if (!r.confidentMatch()) {
                            lost++;
                        }
                    }
                }
                report = report.with("true_match_loss", withMatches == 0 ? 0 : lost / (double) withMatches)
                        .with("threshold_inliers", verifier.config().confidentInliers());
            }
            return report;
        }
    }

    /** The generated instance-retrieval evaluation ({@link InstanceEval}) on a Corel-style dataset. */
    private int instanceProtocol() throws Exception {
        Path images = dataset.resolve("images");
        if (!Files.isDirectory(images)) {
            throw new OcularException("The instance protocol needs a Corel-style dataset (class folders under "
                    + images + ").");
        }
        if (scale <= 0 || scale > 1) {
            throw new OcularException("--scale must be in (0, 1].");
        }
        Path modelFile = ModelService.open(root.paths()).localFeatureModel()
                .orElseThrow(InstanceSearch.ModelMissingException::new);
        InstanceEval.Config d = InstanceEval.Config.defaults();
        InstanceEval.Config cfg = new InstanceEval.Config(scaled(d.sources()), scaled(d.clutter()),
                scaled(d.distractors()), Math.max(6, scaled(d.train())), d.maxFeatures(), candidates, d.seed(),
                d.verifier());
        long start = System.nanoTime();
        Map<String, Object> report;
        try (LocalFeatureExtractor extractor = new LocalFeatureExtractor(modelFile,
                LocalFeatureExtractor.Pyramid.standard(), Runtime.getRuntime().availableProcessors())) {
            report = new InstanceEval(extractor, cfg).run(dataset, ukbench);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("protocol", "instance");
        out.putAll(report);
        out.put("seconds", (System.nanoTime() - start) / 1e9);
        PrintWriter pw = spec.commandLine().getOut();
        if (json) {
            Json.print(pw, out);
        } else {
            pw.println(InstanceEval.toJson(out));
            pw.flush();
        }
        return 0;
    }

    private int scaled(int n) {
        return Math.max(2, (int) Math.round(n * scale));
    }

    /** Evaluation id (position in the ground truth) → catalog id, for the images the catalog has. */
    private static Map<Long, Long> catalogIds(Catalog catalog, Map<Path, Long> ids) {
        Map<Long, Long> out = new HashMap<>();
        ids.forEach((path, pos) -> lookup(catalog, path).ifPresent(cat -> out.put(pos, cat)));
        return out;
    }

    private static String activeId(ModelInfo m) {
        return m.id();
    }

    /** {@code -Docular.eval.cache=DIR} (the build points tests at target/), else the temp folder. */
    static Path defaultCacheDir() {
        String prop = System.getProperty("ocular.eval.cache");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "ocular-eval-cache");
    }

    /** The indexed vector of each image, in order; null where the indexer skipped the file. */
    private static float[][] features(Catalog catalog, String modelId, List<Path> images) {
        EmbeddingMatrix matrix = catalog.loadEmbeddings(modelId);
        Map<Long, Integer> rowOf = new HashMap<>();
        for (int i = 0; i < matrix.rows(); i++) {
            rowOf.put(matrix.ids()[i], i);
        }
        float[][] out = new float[images.size()][];
        for (int i = 0; i < images.size(); i++) {
            Integer row = lookup(catalog, images.get(i)).map(rowOf::get).orElse(null);
            out[i] = row == null ? null : matrix.row(row);
        }
        return out;
    }

    /** The catalog id of a dataset file (by its normalised path, else its real path when links are involved). */
    static Optional<Long> lookup(Catalog catalog, Path p) {
        var found = catalog.imageByPath(p);
        if (found.isEmpty()) {
            try {
                found = catalog.imageByPath(p.toRealPath());
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        return found.map(ImageRecord::id);
    }

    /** The vectors of the protocol's database files (queries of the cifar protocol are left out). */
    private static EmbeddingMatrix database(String modelId, GroundTruth truth, Map<Path, Long> ids, float[][] vectors) {
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

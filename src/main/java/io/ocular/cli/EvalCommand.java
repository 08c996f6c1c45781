package io.ocular.cli;

import io.ocular.app.AppPaths;
import io.ocular.app.Ocular;
import io.ocular.eval.EvalReport;
import io.ocular.eval.Evaluator;
import io.ocular.eval.FeatureCache;
import io.ocular.eval.GroundTruth;
import io.ocular.eval.Protocols;
import io.ocular.model.IndexProgress;
import io.ocular.model.ModelInfo;
import io.ocular.model.OcularException;
import io.ocular.search.ScanPool;
import io.ocular.search.VectorIndex;
import io.ocular.store.Catalog;
import io.ocular.store.EmbeddingMatrix;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

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
            description = "holidays | ukbench | classes | cifar")
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
            description = "none | local (default: ${DEFAULT-VALUE})")
    String rerank;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        GroundTruth truth = Protocols.load(protocol, dataset);
        index = IndexKinds.check(index);
        if (!rerank.equals("none") && !rerank.equals("local")) {
            throw new OcularException("Unknown re-ranking '" + rerank + "'; use none or local.");
        }
        if (rerank.equals("local")) {
            throw new OcularException("Re-ranking with local features is not available in this build.");
        }
        EvalSpq.Settings spqSettings = new EvalSpq.Settings(bits, codewords, epochs, views, cycleWeight, spqBatch);
        if (index.equals("spq")) {
            // checks the SPQ options, and that the database can be big enough, before any costly work
            EvalSpq.checkEnough(truth.database().size(), EvalSpq.config(spqSettings));
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        AppPaths user = root.paths();
        FeatureCache cache = noCache ? null : new FeatureCache(cacheDir != null ? cacheDir : defaultCacheDir());
        Path tmp = Files.createTempDirectory("ocular-eval-");
        try {
            AppPaths evalPaths = AppPaths.under(tmp).withModelsDir(user.modelsDir()).createDirectories();
            EvalReport report;
            String modelId = model != null ? model : Ocular.activeModelId(user).orElse(null);
            try (CtrlC ctrlC = new CtrlC(); Ocular ocular = root.opener().open(evalPaths, modelId)) {
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
                    IndexProgress last = IndexRun.runToCompletion(ocular.indexer(),
                            () -> ocular.indexer().addFolder(folder), err, ctrlC);
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
                try (ScanPool pool = ScanPool.perCore()) {
                    if (index.equals("spq")) {
                        List<Path> dbPhotos = truth.database();
                        float[][] dbFeatures = new float[dbPhotos.size()][];
                        for (int i = 0; i < dbPhotos.size(); i++) {
                            Long id = ids.get(dbPhotos.get(i));
                            dbFeatures[i] = id == null ? null : vectors[id.intValue()];
                        }
                        spq = EvalSpq.train(dbPhotos, dbFeatures, ocular.imageEncoder(), active, cache, spqSettings,
                                err, ctrlC::interrupted);
                        vi = IndexKinds.spq(spq.model(), rerankExact, database);
                    } else {
                        vi = IndexKinds.build(index, bits, rerankExact, database, pool);
                    }
                    double buildSeconds = (System.nanoTime() - buildStart) / 1e9;
                    report = new Evaluator().evaluate(truth, ids, id -> vectors[(int) id], vi::search)
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
                report = report.with("rerank", rerank)
                        .with("skipped", skipped)
                        .with("features_cached", featuresCached)
                        .with("index_seconds", indexSeconds)
                        .withSeconds((System.nanoTime() - start) / 1e9);
            } catch (java.util.concurrent.CancellationException e) {
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
    static java.util.Optional<Long> lookup(Catalog catalog, Path p) {
        var found = catalog.imageByPath(p);
        if (found.isEmpty()) {
            try {
                found = catalog.imageByPath(p.toRealPath());
            } catch (java.io.IOException e) {
                return java.util.Optional.empty();
            }
        }
        return found.map(io.ocular.model.ImageRecord::id);
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
        return new EmbeddingMatrix(modelId, d, java.util.Arrays.copyOf(rowIds, n), java.util.Arrays.copyOf(rows, n * d));
    }
}

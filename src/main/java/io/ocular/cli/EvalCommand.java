package io.ocular.cli;

import io.ocular.app.AppPaths;
import io.ocular.app.Ocular;
import io.ocular.eval.EvalReport;
import io.ocular.eval.Evaluator;
import io.ocular.eval.GroundTruth;
import io.ocular.eval.InstanceEval;
import io.ocular.eval.Protocols;
import io.ocular.embed.LocalFeatureExtractor;
import io.ocular.embed.ModelStore;
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
import java.util.ArrayList;
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
            description = "holidays | ukbench | classes | cifar | instance. instance: a generated instance-retrieval"
                    + " set from a Corel-style dataset (edited copies, same-class clutter, distractor queries): global"
                    + " vs local re-ranking with the MobileNetV2 feature model, distractor rejection, true-match loss.")
    String protocol;

    @Option(names = "--model", paramLabel = "ID",
            description = "Model from your model store (default: the active model of your data folder, else the built-in one)."
                    + " Import it first with 'ocular models import'.")
    String model;

    @Option(names = "--index", paramLabel = "KIND", defaultValue = "exact",
            description = "exact | pq | opq | spq (default: ${DEFAULT-VALUE})")
    String index;

    @Option(names = "--bits", paramLabel = "N", defaultValue = "64",
            description = "Code length of compressed indexes (default: ${DEFAULT-VALUE}).")
    int bits;

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
        if (rerank.equals("local")) { // fail before indexing anything
            LocalFeatureExtractor.findModel(new ModelStore(root.paths().createDirectories().dataDir()))
                    .orElseThrow(InstanceSearch.ModelMissingException::new);
        }
        GroundTruth truth = Protocols.load(protocol, dataset);
        index = IndexKinds.check(index);
        boolean local = rerank.equals("local");
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        AppPaths user = root.paths();
        Path tmp = Files.createTempDirectory("ocular-eval-");
        try {
            AppPaths evalPaths = AppPaths.under(tmp).withModelsDir(user.modelsDir()).createDirectories();
            EvalReport report;
            String modelId = model != null ? model : Ocular.activeModelId(user).orElse(null);
            try (CtrlC ctrlC = new CtrlC(); Ocular ocular = root.opener().open(evalPaths, modelId)) {
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
                double indexSeconds = (System.nanoTime() - start) / 1e9;
                Catalog catalog = ocular.catalog();
                String activeId = ocular.activeModel().id();
                Map<Path, Long> ids = new HashMap<>();
                for (Path p : truth.images()) {
                    lookup(catalog, p).ifPresent(id -> ids.put(p, id));
                }
                EmbeddingMatrix matrix = catalog.loadEmbeddings(activeId);
                Map<Long, Integer> rowOf = new HashMap<>();
                for (int i = 0; i < matrix.rows(); i++) {
                    rowOf.put(matrix.ids()[i], i);
                }
                java.util.function.LongFunction<float[]> vectors = id -> {
                    Integer row = rowOf.get(id);
                    return row == null ? null : matrix.row(row);
                };
                VectorIndex vi;
                LocalRerank reranker = null;
                try (ScanPool pool = ScanPool.perCore()) {
                    vi = IndexKinds.build(index, bits, database(truth, ids, rowOf, matrix), pool);
                    Evaluator.QuerySearcher searcher = (qid, q, want) -> vi.search(q, want);
                    if (local) {
                        reranker = new LocalRerank(ocular, vi, candidates);
                        searcher = reranker;
                    }
                    report = new Evaluator().evaluate(truth, ids, vectors, searcher)
                            .with("model", activeId)
                            .with("index", index);
                }
                if (!index.equals("exact")) {
                    report = report.with("bits", bits);
                }
                if (reranker != null) {
                    report = reranker.addTo(report, truth, ids);
                }
                report = report.with("rerank", rerank)
                        .with("skipped", last.skipped())
                        .with("index_seconds", indexSeconds)
                        .withSeconds((System.nanoTime() - start) / 1e9);
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

        LocalRerank(Ocular ocular, VectorIndex index, int k) {
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
            List<ScoredId> head = global.subList(0, Math.min(k, global.size()));
            LocalFeatures qf = instance.catalog().imageData(queryId, CatalogLocalFeatureStore.KIND)
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
                out.add(new ScoredId(c.id(), c.score()));
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
            for (long id : ids.values()) {
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
        Path modelFile = LocalFeatureExtractor.findModel(new ModelStore(root.paths().createDirectories().dataDir()))
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
        Map<String, Object> out = new java.util.LinkedHashMap<>();
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
    private static EmbeddingMatrix database(GroundTruth truth, Map<Path, Long> ids, Map<Long, Integer> rowOf,
                                            EmbeddingMatrix m) {
        int d = m.dimension();
        float[] rows = new float[truth.database().size() * d];
        long[] rowIds = new long[truth.database().size()];
        int n = 0;
        for (Path p : truth.database()) {
            Long id = ids.get(p);
            Integer row = id == null ? null : rowOf.get(id);
            if (row != null) {
                System.arraycopy(m.data(), row * d, rows, n * d, d);
                rowIds[n++] = id;
            }
        }
        if (n == 0) {
            throw new OcularException("None of the dataset's images could be embedded (see 'skipped').");
        }
        return new EmbeddingMatrix(m.modelId(), d, java.util.Arrays.copyOf(rowIds, n), java.util.Arrays.copyOf(rows, n * d));
    }
}

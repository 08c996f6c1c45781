package io.ocular.cli;

import io.ocular.app.AppPaths;
import io.ocular.app.Ocular;
import io.ocular.eval.EvalReport;
import io.ocular.eval.Evaluator;
import io.ocular.eval.GroundTruth;
import io.ocular.eval.Protocols;
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
import java.util.HashMap;
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
            description = "exact | pq | opq | spq (default: ${DEFAULT-VALUE})")
    String index;

    @Option(names = "--bits", paramLabel = "N", defaultValue = "64",
            description = "Code length of compressed indexes (default: ${DEFAULT-VALUE}).")
    int bits;

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
                IndexProgress last = IndexRun.runToCompletion(ocular.indexer(), () -> ocular.indexer().addFolder(folder),
                        err, ctrlC);
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
                try (ScanPool pool = ScanPool.perCore()) {
                    vi = IndexKinds.build(index, bits, database(truth, ids, rowOf, matrix), pool);
                    report = new Evaluator().evaluate(truth, ids, vectors, vi::search)
                            .with("model", activeId)
                            .with("index", index);
                }
                if (!index.equals("exact")) {
                    report = report.with("bits", bits);
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

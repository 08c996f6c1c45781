package io.ocular.cli;

import io.ocular.engine.AppPaths;
import io.ocular.engine.Engine;
import io.ocular.model.ImageStatus;
import io.ocular.model.IndexProgress;
import io.ocular.model.OcularException;
import io.ocular.search.IndexFactory;
import io.ocular.search.ScanPool;
import io.ocular.search.SearchBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "bench", mixinStandardHelpOptions = true, description = "Measure indexing and search speed.",
        subcommands = {BenchCommand.Index.class, BenchCommand.Search.class, BenchVideoCommand.class})
final class BenchCommand implements Runnable {
    @ParentCommand
    OcularCli root;
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: index, search or video.");
    }

    @Command(name = "index", mixinStandardHelpOptions = true,
            description = "End-to-end indexing speed (scan, decode, embed, commit) into a throwaway catalog.")
    static final class Index implements Callable<Integer> {
        @ParentCommand
        BenchCommand bench;
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "DIR", description = "Folder of images.")
        Path folder;

        @Option(names = "--model", paramLabel = "ID", description = "Model from your model store (default: the active model of your data folder).")
        String model;

        @Option(names = "--json", description = "Print one JSON object.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            if (!Files.isDirectory(folder)) {
                throw new OcularException("Folder not found: " + folder);
            }
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            AppPaths user = bench.root.paths();
            Path tmp = Files.createTempDirectory("ocular-bench-");
            try (CtrlC ctrlC = new CtrlC();
                 Engine ocular = bench.root.opener().open(
                         AppPaths.under(tmp).withModelsDir(user.modelsDir()).createDirectories(),
                         model != null ? model : Engine.activeModelId(user).orElse(null))) {
                Path dir = folder.toAbsolutePath().normalize();
                long start = System.nanoTime();
                IndexProgress last = IndexRun.runToCompletion(ocular.indexer(), () -> ocular.indexer().addFolder(dir),
                        err, ctrlC);
                double seconds = (System.nanoTime() - start) / 1e9;
                if (ctrlC.interrupted()) {
                    err.println("Cancelled.");
                    return 130;
                }
                long images = ocular.catalog().countImages(ImageStatus.INDEXED);
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("images_per_s", images / seconds);
                o.put("images", images);
                o.put("skipped", last.skipped());
                o.put("seconds", seconds);
                o.put("model", ocular.activeModel().id());
                o.put("threads", Runtime.getRuntime().availableProcessors());
                print(out, o, json);
                return 0;
            } finally {
                TempDirs.deleteRecursively(tmp);
            }
        }
    }

    @Command(name = "search", mixinStandardHelpOptions = true,
            description = {"Search latency and recall@10 on synthetic clustered unit vectors.",
                    "Recall is measured against exact search; latency is single-query, after warm-up."})
    static final class Search implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--n", required = true, paramLabel = "N", description = "Vectors in the index.")
        int n;

        @Option(names = "--dim", required = true, paramLabel = "D", description = "Vector length.")
        int dim;

        @Option(names = "--index", paramLabel = "KIND", defaultValue = "exact",
                description = "exact | pq | opq | ivfpq | ivfopq | hnsw (default: ${DEFAULT-VALUE})")
        String index;

        @Option(names = "--bits", paramLabel = "N", defaultValue = "64",
                description = "Code length of compressed indexes, a multiple of 8 (default: ${DEFAULT-VALUE}).")
        int bits;

        @Option(names = "--queries", paramLabel = "Q", defaultValue = "300",
                description = "Timed queries (default: ${DEFAULT-VALUE}).")
        int queries;

        @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--json", description = "Print one JSON object.")
        boolean json;

        @Override
        public Integer call() {
            if (n < 10 || dim < 2 || queries < 1) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "Need --n >= 10, --dim >= 2 and --queries >= 1.");
            }
            String kind = IndexFactory.check(index, IndexFactory.BENCH_KINDS);
            if (IndexFactory.isCompact(kind)) {
                IndexFactory.checkBits(bits, dim);
            }
            if ((long) n * dim > Integer.MAX_VALUE - 8) {
                throw new OcularException("--n times --dim must stay below 2^31 floats.");
            }
            SearchBench.Result r;
            try (ScanPool pool = ScanPool.perCore()) {
                r = new SearchBench(pool).run(new SearchBench.Spec(n, dim, kind, bits, queries, 0, 0, 10, seed));
            }
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("n", r.n());
            o.put("dim", r.dim());
            o.put("index", r.index());
            o.put("bits", r.bits());
            o.put("p50_ms", r.p50Ms());
            o.put("p99_ms", r.p99Ms());
            o.put("recall_at_10", r.recallAt10());
            o.put("bytes_per_image", r.bytesPerImage());
            o.put("build_s", r.buildS());
            o.put("queries", queries);
            o.put("threads", Runtime.getRuntime().availableProcessors());
            o.put("notes", r.notes());
            print(spec.commandLine().getOut(), o, json);
            return 0;
        }
    }

    static void print(PrintWriter out, Map<String, Object> o, boolean json) {
        Json.print(out, json, () -> o, w -> o.forEach((k, v) -> w.println(String.format(Locale.ROOT, "%-14s %s", k,
                v instanceof Double d ? String.format(Locale.ROOT, "%.4f", d) : v))));
    }
}

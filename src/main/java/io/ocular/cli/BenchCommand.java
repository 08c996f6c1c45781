package io.ocular.cli;

import io.ocular.engine.AppPaths;
import io.ocular.engine.Engine;
import io.ocular.eval.FeatureCache;
import io.ocular.model.ImageStatus;
import io.ocular.model.IndexProgress;
import io.ocular.model.OcularException;
import io.ocular.search.EqualRecall;
import io.ocular.search.IndexFactory;
import io.ocular.search.IndexPolicy;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "bench", mixinStandardHelpOptions = true, description = "Measure indexing and search speed.",
        subcommands = {BenchCommand.Index.class, BenchCommand.Search.class, BenchVideoCommand.class,
                BenchPipelineCommand.class,
                BenchLibraryCommand.Generate.class, BenchLibraryCommand.Library.class})
final class BenchCommand implements Runnable {
    @ParentCommand
    OcularCli root;
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: index, pipeline, search, video, catalog or library.");
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
            description = {"Search latency and recall@10 on synthetic clustered unit vectors, or on real vectors"
                    + " replicated to --n (--vectors-from).",
                    "Recall is measured against exact search; latency is single-query, after warm-up.",
                    "Exact search's p50 is always measured on the same data; --peer adds Lucene HNSW in the same run.",
                    "The machine's load average is printed: latencies compare only within one run.",
                    "cpu_p50_ms is the CPU time a search used (calling thread plus scan threads): unlike wall time it",
                    "is not inflated by other work on a shared machine, so ratios of it hold across loads;",
                    "build_cpu_s is likewise the process CPU time a build used (all its threads)."})
    static final class Search implements Callable<Integer> {
        @ParentCommand
        BenchCommand bench;
        @Spec
        CommandSpec spec;

        @Option(names = "--n", required = true, paramLabel = "N", description = "Vectors in the index.")
        int n;

        @Option(names = "--dim", paramLabel = "D", defaultValue = "0",
                description = "Vector length (required without --vectors-from; with it, the model's).")
        int dim;

        @Option(names = "--vectors-from", paramLabel = "DIR", split = ",",
                description = {"Grow the library from real vectors instead of the Gaussian mixture: the photos under"
                        + " these folders are embedded with --model (the app's indexing; cached for the next run),"
                        + " --queries of them are held out as the queries, and the others are replicated to --n with"
                        + " --noise."})
        List<Path> vectorsFrom = new ArrayList<>();

        @Option(names = "--model", paramLabel = "ID",
                description = "Model for --vectors-from (default: the active model of your data folder).")
        String model;

        @Option(names = "--noise", paramLabel = "S", defaultValue = "0.25",
                description = "With --vectors-from: norm of the Gaussian noise added to each copy of a real vector"
                        + " (default: ${DEFAULT-VALUE}, a copy at cosine ~0.97 to its photo).")
        double noise;

        @Option(names = "--cache", paramLabel = "DIR",
                description = "Feature cache for --vectors-from (default: the eval's, ocular.eval.cache or"
                        + " ocular-eval-cache in the temp folder).")
        Path cacheDir;

        @Option(names = "--index", paramLabel = "KIND", defaultValue = "exact",
                description = "auto | exact | pq | opq | ivfpq | ivfopq | hnsw; auto = what the app uses at this size"
                        + " (default: ${DEFAULT-VALUE})")
        String index;

        @Option(names = "--bits", paramLabel = "N", defaultValue = "64",
                description = "Code length of compressed indexes, a multiple of 8 (default: ${DEFAULT-VALUE};"
                        + " --index auto uses the app's).")
        int bits;

        @Option(names = "--nlist", paramLabel = "L", defaultValue = "0",
                description = "IVF lists (default: the app's choice, about sqrt(n)).")
        int nlist;

        @Option(names = "--nprobe", paramLabel = "P", split = ",",
                description = "IVF lists visited per query; a comma list measures each on one trained index"
                        + " (default: the app's choice).")
        List<Integer> nprobe = new ArrayList<>();

        @Option(names = "--rerank", paramLabel = "R", split = ",",
                description = "Re-rank factor r: the best 10·r codes are re-scored exactly; a comma list measures"
                        + " each (default: the app's, " + IndexPolicy.RERANK + ").")
        List<Integer> rerank = new ArrayList<>();

        @Option(names = "--rerank-z", paramLabel = "Z", defaultValue = "-1",
                description = "Re-rank stopping rule: stop once the remaining candidates are more than Z error spreads"
                        + " out of reach (10·r is then the most re-scored); 0 re-scores all 10·r (default: the app's, "
                        + IndexPolicy.RERANK_Z + ", with --index auto; 0 otherwise).")
        double rerankZ;

        @Option(names = "--peer", description = "Also build and measure the Lucene HNSW peer on the same data"
                + " (Lucene's default M 16 and build beam 100, added from --threads threads, merged to one graph).")
        boolean peer;

        @Option(names = "--peer-ef", paramLabel = "EF", split = ",",
                description = {"The peer's search beam (Lucene's numCandidates, at least 10); a comma list measures"
                        + " each on the one built graph, and implies --peer (default: "
                        + SearchBench.Spec.DEFAULT_PEER_EF + ").",
                        "With the peer, equal_recall compares at recall@10 0.95, 0.97 and 0.99 the cheapest measured"
                                + " point (by cpu_p50_ms) of ours (the --nprobe x --rerank points) and of the"
                                + " peer's that reaches each level, or says which side reached none."})
        List<Integer> peerEf = new ArrayList<>();

        @Option(names = "--queries", paramLabel = "Q", defaultValue = "300",
                description = "Timed queries (default: ${DEFAULT-VALUE}; exact search times at most 100).")
        int queries;

        @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--threads", paramLabel = "T", defaultValue = "0",
                description = "Threads for the build and for each search's scan (default: one per core, as the app).")
        int threads;

        @Option(names = "--json", description = "Print one JSON object.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            if (threads < 0) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Need --threads >= 0.");
            }
            if (!(noise >= 0) || Double.isInfinite(noise)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Need --noise >= 0.");
            }
            if (n < 10 || queries < 1 || (vectorsFrom.isEmpty() && dim < 2)) { // with --vectors-from: the model's
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "Need --n >= 10, --dim >= 2 and --queries >= 1.");
            }
            if (nlist < 0 || nlist > n || nprobe.stream().anyMatch(p -> p < 1)
                    || rerank.stream().anyMatch(r -> r < 1)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "Need 0 <= --nlist <= --n, --nprobe >= 1 and --rerank >= 1.");
            }
            if (peerEf.stream().anyMatch(e -> e < 10)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "Need --peer-ef >= 10 (the search beam holds at least the 10 results).");
            }
            if (!(rerankZ >= 0 || rerankZ == -1) || Double.isInfinite(rerankZ)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "Need --rerank-z >= 0 (0 re-scores all 10·r candidates).");
            }
            SearchBench.RealVectors real = null; // embedded after the cheap checks: it can take minutes
            if (!vectorsFrom.isEmpty()) {
                FeatureCache cache = new FeatureCache(cacheDir != null ? cacheDir : EvalCommand.defaultCacheDir());
                real = new SearchBench.RealVectors(BenchVectors.of(bench.root, vectorsFrom, model, cache,
                        spec.commandLine().getErr()), noise, vectorsFrom.toString());
                if (dim != 0 && dim != real.vectors().dimension()) {
                    throw new OcularException("--dim " + dim + " does not match the model's "
                            + real.vectors().dimension() + "-d vectors; leave --dim out.");
                }
                dim = real.vectors().dimension();
                if (real.vectors().rows() < queries + 10) {
                    throw new OcularException("Only " + real.vectors().rows() + " photos could be embedded; --queries "
                            + queries + " needs at least " + (queries + 10) + ".");
                }
            }
            boolean auto = index.equalsIgnoreCase("auto");
            String kind = auto ? IndexPolicy.kindFor(n, dim) : IndexFactory.check(index, IndexFactory.BENCH_KINDS);
            if (IndexFactory.isCompact(kind)) {
                IndexFactory.checkBits(auto ? IndexPolicy.bits(dim) : bits, dim);
            }
            if ((long) n * dim > Integer.MAX_VALUE - 8) {
                throw new OcularException("--n times --dim must stay below 2^31 floats.");
            }
            SearchBench.Report report;
            try (ScanPool pool = threads > 0 ? new ScanPool(threads) : ScanPool.perCore()) {
                report = new SearchBench(pool).run(new SearchBench.Spec(n, dim, index, bits, queries, nlist, nprobe,
                        rerank, seed, peer || !peerEf.isEmpty(), rerankZ, peerEf), real);
            }
            Map<String, Object> o = toMap(report, queries);
            o.put("threads", threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
            print(spec.commandLine().getOut(), o, json);
            return 0;
        }

        static Map<String, Object> toMap(SearchBench.Report report, int queries) {
            SearchBench.Result r = report.main();
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("n", r.n());
            o.put("dim", r.dim());
            o.put("data", report.data());
            o.put("index", r.index());
            o.put("index_requested", report.spec().index().toLowerCase(Locale.ROOT));
            o.put("bits", r.bits());
            o.put("nlist", r.nlist());
            o.put("nprobe", r.nprobe());
            o.put("rerank", r.rerank());
            o.put("rerank_z", r.rerankZ());
            o.put("rerank_depth_mean", r.rerankDepth());
            o.put("p50_ms", r.p50Ms());
            o.put("p99_ms", r.p99Ms());
            o.put("cpu_p50_ms", r.cpuP50Ms());
            o.put("recall_at_10", r.recallAt10());
            o.put("bytes_per_image", r.bytesPerImage());
            o.put("build_s", r.buildS());
            o.put("build_cpu_s", r.buildCpuS());
            o.put("queries", queries);
            o.put("threads", Runtime.getRuntime().availableProcessors());
            o.put("load_before", report.loadBefore());
            o.put("load_after", report.loadAfter());
            o.put("exact_p50_ms", report.exact().p50Ms());
            o.put("exact_speedup", report.exact().p50Ms() / r.p50Ms());
            o.put("exact_cpu_p50_ms", report.exact().cpuP50Ms());
            o.put("exact_cpu_speedup", report.exact().cpuP50Ms() / r.cpuP50Ms());
            if (report.peer() != null) {
                SearchBench.Result p = report.peer();
                o.put("peer", row(p));
                o.put("peer_p50_ratio", p.p50Ms() / r.p50Ms());
                o.put("peer_cpu_ratio", p.cpuP50Ms() / r.cpuP50Ms());
                o.put("peer_build_ratio", p.buildS() / r.buildS());
                o.put("peer_build_cpu_ratio", p.buildCpuS() / r.buildCpuS());
                SearchBench.PeerBuild b = report.peerBuild();
                if (b != null) {
                    o.put("peer_build_add_s", b.addS());
                    o.put("peer_build_merge_s", b.mergeS());
                    o.put("peer_segments_merged", b.segmentsBefore());
                    o.put("peer_build_threads", b.threads());
                }
            }
            if (report.results().size() > 1) {
                List<Map<String, Object>> sweep = new ArrayList<>();
                report.results().forEach(x -> sweep.add(row(x)));
                o.put("sweep", sweep);
            }
            if (report.peers().size() > 1) {
                List<Map<String, Object>> sweep = new ArrayList<>();
                report.peers().forEach(x -> sweep.add(row(x)));
                o.put("peer_sweep", sweep);
            }
            List<EqualRecall> equal = report.equalRecall();
            if (!equal.isEmpty()) {
                List<Map<String, Object>> rows = new ArrayList<>();
                equal.forEach(e -> rows.add(equalRow(e)));
                o.put("equal_recall", rows);
            }
            o.put("notes", r.notes());
            return o;
        }

        /** One recall level, flat (so the text form stays one readable line): each side's point, or absent. */
        private static Map<String, Object> equalRow(EqualRecall e) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("level", e.level());
            e.ours().ifPresent(x -> {
                m.put("ours_nprobe", x.nprobe());
                m.put("ours_rerank", x.rerank());
                m.put("ours_recall_at_10", x.recallAt10());
                m.put("ours_p50_ms", x.p50Ms());
                m.put("ours_cpu_p50_ms", x.cpuP50Ms());
            });
            e.peer().ifPresent(x -> {
                m.put("peer_ef", x.ef());
                m.put("peer_recall_at_10", x.recallAt10());
                m.put("peer_p50_ms", x.p50Ms());
                m.put("peer_cpu_p50_ms", x.cpuP50Ms());
            });
            if (e.ours().isPresent() && e.peer().isPresent()) {
                m.put("peer_cpu_ratio", e.peerCpuRatio());
                m.put("peer_p50_ratio", e.peerWallRatio());
            }
            m.put("verdict", e.verdict());
            return m;
        }

        private static Map<String, Object> row(SearchBench.Result x) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("index", x.index());
            m.put("nlist", x.nlist());
            m.put("nprobe", x.nprobe());
            m.put("rerank", x.rerank());
            if (x.ef() > 0) {
                m.put("ef", x.ef());
            }
            m.put("rerank_z", x.rerankZ());
            m.put("rerank_depth_mean", x.rerankDepth());
            m.put("p50_ms", x.p50Ms());
            m.put("p99_ms", x.p99Ms());
            m.put("cpu_p50_ms", x.cpuP50Ms());
            m.put("recall_at_10", x.recallAt10());
            m.put("bytes_per_image", x.bytesPerImage());
            m.put("build_s", x.buildS());
            m.put("build_cpu_s", x.buildCpuS());
            return m;
        }
    }

    static void print(PrintWriter out, Map<String, Object> o, boolean json) {
        Json.print(out, json, () -> o, w -> o.forEach((k, v) -> w.println(String.format(Locale.ROOT, "%-14s %s", k,
                text(v)))));
    }

    /** A value as text: doubles with four decimals, nested rows as {@code key=value} lists. */
    private static String text(Object v) {
        if (v instanceof Double d) {
            return String.format(Locale.ROOT, "%.4f", d);
        }
        if (v instanceof Map<?, ?> m) {
            StringBuilder b = new StringBuilder();
            m.forEach((k, x) -> b.append(b.length() == 0 ? "" : " ").append(k).append('=').append(text(x)));
            return b.toString();
        }
        if (v instanceof List<?> l) {
            StringBuilder b = new StringBuilder();
            l.forEach(x -> b.append(b.length() == 0 ? "" : " | ").append(text(x)));
            return b.toString();
        }
        return String.valueOf(v);
    }
}

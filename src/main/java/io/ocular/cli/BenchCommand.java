package io.ocular.cli;

import io.ocular.app.AppPaths;
import io.ocular.app.Ocular;
import io.ocular.model.ImageStatus;
import io.ocular.model.IndexProgress;
import io.ocular.model.OcularException;
import io.ocular.model.ScoredId;
import io.ocular.search.VectorIndex;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

@Command(name = "bench", mixinStandardHelpOptions = true, description = "Measure indexing and search speed.",
        subcommands = {BenchCommand.Index.class, BenchCommand.Search.class})
final class BenchCommand implements Runnable {
    @ParentCommand
    OcularCli root;
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: index or search.");
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

        @Option(names = "--model", paramLabel = "ID", description = "Model from your model store (default: built-in).")
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
                 Ocular ocular = bench.root.opener().open(
                         AppPaths.under(tmp).withModelsDir(user.modelsDir()).createDirectories(), model)) {
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
            description = {"Search latency and recall@10 on random unit vectors.",
                    "Recall is measured against exact search; latency is single-query, after warm-up."})
    static final class Search implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--n", required = true, paramLabel = "N", description = "Vectors in the index.")
        int n;

        @Option(names = "--dim", required = true, paramLabel = "D", description = "Vector length.")
        int dim;

        @Option(names = "--index", paramLabel = "KIND", defaultValue = "exact",
                description = "exact | pq | opq | spq (default: ${DEFAULT-VALUE})")
        String index;

        @Option(names = "--bits", paramLabel = "N", defaultValue = "64",
                description = "Code length of compressed indexes (default: ${DEFAULT-VALUE}).")
        int bits;

        @Option(names = "--queries", paramLabel = "Q", defaultValue = "200",
                description = "Timed queries (default: ${DEFAULT-VALUE}).")
        int queries;

        @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--json", description = "Print one JSON object.")
        boolean json;

        @Override
        public Integer call() {
            if (n < 1 || dim < 1 || queries < 1) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--n, --dim and --queries must be positive.");
            }
            if ((long) n * dim > Integer.MAX_VALUE - 8) {
                throw new OcularException("--n times --dim must stay below 2^31 floats.");
            }
            PrintWriter out = spec.commandLine().getOut();
            SplittableRandom rnd = new SplittableRandom(seed);
            float[] data = new float[n * dim];
            for (int i = 0; i < n; i++) {
                randomUnit(rnd, data, i * dim, dim);
            }
            long t0 = System.nanoTime();
            VectorIndex vi = IndexKinds.create(index, dim, bits, data);
            for (int i = 0; i < n; i++) {
                vi.add(i, Arrays.copyOfRange(data, i * dim, (i + 1) * dim));
            }
            double buildSeconds = (System.nanoTime() - t0) / 1e9;
            float[][] qs = new float[queries][dim];
            for (float[] q : qs) {
                randomUnit(rnd, q, 0, dim);
            }
            int warmup = Math.min(20, queries);
            for (int i = 0; i < warmup; i++) {
                vi.search(qs[i], 10);
            }
            double[] ms = new double[queries];
            double recall = 0;
            for (int i = 0; i < queries; i++) {
                long s = System.nanoTime();
                List<ScoredId> got = vi.search(qs[i], 10);
                ms[i] = (System.nanoTime() - s) / 1e6;
                recall += recallAt10(got, exactTop10(data, n, dim, qs[i]));
            }
            Arrays.sort(ms);
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("n", n);
            o.put("dim", dim);
            o.put("index", index);
            if (!index.equals("exact")) {
                o.put("bits", bits);
            }
            o.put("p50_ms", percentile(ms, 0.50));
            o.put("p99_ms", percentile(ms, 0.99));
            o.put("recall_at_10", recall / queries);
            o.put("bytes_per_image", IndexKinds.bytesPerVector(vi));
            o.put("build_s", buildSeconds);
            o.put("queries", queries);
            print(out, o, json);
            return 0;
        }

        /** Plain scalar brute force: the reference the index under test is compared with. */
        static Set<Long> exactTop10(float[] data, int n, int dim, float[] q) {
            long[] best = new long[10];
            float[] bestScore = new float[10];
            Arrays.fill(bestScore, Float.NEGATIVE_INFINITY);
            for (int i = 0; i < n; i++) {
                float s = 0;
                int off = i * dim;
                for (int j = 0; j < dim; j++) {
                    s += data[off + j] * q[j];
                }
                if (s > bestScore[9]) {
                    int pos = 9;
                    while (pos > 0 && bestScore[pos - 1] < s) {
                        bestScore[pos] = bestScore[pos - 1];
                        best[pos] = best[pos - 1];
                        pos--;
                    }
                    bestScore[pos] = s;
                    best[pos] = i;
                }
            }
            Set<Long> top = new HashSet<>();
            for (int i = 0; i < Math.min(10, n); i++) {
                top.add(best[i]);
            }
            return top;
        }

        static double recallAt10(List<ScoredId> got, Set<Long> truth) {
            long hit = got.stream().limit(10).filter(s -> truth.contains(s.id())).count();
            return truth.isEmpty() ? 1.0 : (double) hit / truth.size();
        }

        static double percentile(double[] sorted, double p) {
            int i = (int) Math.ceil(p * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
        }

        private static void randomUnit(SplittableRandom rnd, float[] into, int off, int dim) {
            double norm = 0;
            for (int j = 0; j < dim; j++) {
                float v = (float) rnd.nextGaussian();
                into[off + j] = v;
                norm += v * v;
            }
            float inv = (float) (1 / Math.sqrt(norm));
            for (int j = 0; j < dim; j++) {
                into[off + j] *= inv;
            }
        }
    }

    static void print(PrintWriter out, Map<String, Object> o, boolean json) {
        if (json) {
            Json.print(out, o);
            return;
        }
        o.forEach((k, v) -> out.println(String.format(Locale.ROOT, "%-14s %s", k,
                v instanceof Double d ? String.format(Locale.ROOT, "%.4f", d) : v)));
        out.flush();
    }
}

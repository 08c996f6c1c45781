package io.ocular.cli;

import io.ocular.engine.AppPaths;
import io.ocular.engine.Engine;
import io.ocular.engine.SyntheticLibrary;
import io.ocular.model.FolderRecord;
import io.ocular.model.ModelInfo;
import io.ocular.model.OcularException;
import io.ocular.model.Query;
import io.ocular.model.ScoredId;
import io.ocular.model.SearchOptions;
import io.ocular.model.SearchScope;
import io.ocular.search.AdaptiveIndex;
import io.ocular.search.SearchFilter;
import io.ocular.search.VectorIndex;
import io.ocular.store.Catalog;
import com.sun.management.OperatingSystemMXBean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/** {@code bench catalog} (a synthetic library) and {@code bench library} (the app path on it), issue 13. */
final class BenchLibraryCommand {
    private BenchLibraryCommand() {
    }

    @Command(name = "catalog", mixinStandardHelpOptions = true,
            description = {"Write a data folder with a synthetic library: --rows photos (no files) in 100 folders over"
                    + " twenty years, each with a vector of the model (clustered unit vectors), for 'bench library'.",
                    "The vectors have the model's length (e.g. 1280 for mobilenetv2-int8, import it first)."})
    static final class Generate implements Callable<Integer> {
        @ParentCommand
        BenchCommand bench;
        @Spec
        CommandSpec spec;

        @Option(names = "--rows", required = true, paramLabel = "N", description = "Photos to write.")
        int rows;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "An empty or new folder.")
        Path out;

        @Option(names = "--model", paramLabel = "ID",
                description = "Model from your model store whose vectors to write (default: the built-in descriptor).")
        String model;

        @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--json", description = "Print one JSON object.")
        boolean json;

        @Override
        public Integer call() {
            if (rows < 1) {
                throw new ParameterException(spec.commandLine(), "Need --rows >= 1.");
            }
            PrintWriter err = spec.commandLine().getErr();
            AppPaths paths = libraryPaths(bench, out);
            long t0 = System.nanoTime();
            int every = Math.max(1, rows / 20);
            ModelInfo m = SyntheticLibrary.generate(paths, model, rows, seed, done -> {
                if (done % every < 2_000 || done == rows) {
                    err.printf(Locale.ROOT, "\r%,d / %,d rows", done, rows);
                    err.flush();
                }
            });
            err.println();
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("rows", rows);
            o.put("model", m.id());
            o.put("dim", m.dimension());
            o.put("seconds", (System.nanoTime() - t0) / 1e9);
            o.put("catalog_bytes", size(paths.catalogFile()));
            o.put("data_dir", paths.dataDir().toString());
            BenchCommand.print(spec.commandLine().getOut(), o, json);
            return 0;
        }
    }

    @Command(name = "library", mixinStandardHelpOptions = true,
            description = {"Open the engine on a library written by 'bench catalog' and search it as the app does:",
                    "time to the first search, p50/p99 through the search service (by photo; with feedback marks),"
                            + " filtered searches through the same service (one folder = 1%%, ten folders = 10%%, one"
                            + " year = 5%%), recall@10 of the index against exact"
                            + " search, resident memory (VmRSS) and heap.",
                    "If the compact codes are not built yet, the first open builds them (waiting up to --wait"
                            + " minutes) and the measurement is made on a second open, which loads them."})
    static final class Library implements Callable<Integer> {
        @ParentCommand
        BenchCommand bench;
        @Spec
        CommandSpec spec;

        @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Folder written by 'bench catalog'.")
        Path dir;

        @Option(names = "--queries", paramLabel = "Q", defaultValue = "200",
                description = "Timed queries per kind (default: ${DEFAULT-VALUE}).")
        int queries;

        @Option(names = "--recall-queries", paramLabel = "Q", defaultValue = "20",
                description = "Queries checked against exact search (default: ${DEFAULT-VALUE}).")
        int recallQueries;

        @Option(names = "--wait", paramLabel = "MIN", defaultValue = "120",
                description = "Minutes to wait for a first build of the compact codes (default: ${DEFAULT-VALUE}).")
        int waitMinutes;

        @Option(names = "--sweep", paramLabel = "NPROBE:R", split = ",",
                description = {"Also measure the compact codes at these search-time parameters (e.g."
                        + " 16:50,16:200,32:200): recall@10 against exact search (--recall-queries) and p50/p99 of the"
                        + " index alone (--queries). 0 keeps the policy's value."})
        List<String> sweep = List.of();

        @Option(names = "--json", description = "Print one JSON object.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            List<int[]> points = sweepPoints(sweep, spec);
            AppPaths paths = libraryPaths(bench, dir);
            if (!Files.isRegularFile(paths.catalogFile())) {
                throw new OcularException("No catalog in " + dir + "; write one with 'ocular bench catalog'.");
            }
            if (queries < 1 || recallQueries < 0) {
                throw new ParameterException(spec.commandLine(), "Need --queries >= 1.");
            }
            PrintWriter err = spec.commandLine().getErr();
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("load_before", load());
            long t0 = System.nanoTime();
            try (Engine first = bench.root.opener().open(paths, null)) {
                o.put("first_open_s", (System.nanoTime() - t0) / 1e9);
                if (first.index() instanceof AdaptiveIndex a && a.building()) {
                    err.println("Compact codes are being built (first open); waiting...");
                    long b0 = System.nanoTime();
                    if (!a.awaitIdle(Duration.ofMinutes(waitMinutes))) {
                        throw new OcularException("The compact codes were not ready within " + waitMinutes + " minutes.");
                    }
                    o.put("first_build_s", (System.nanoTime() - b0) / 1e9);
                }
            }
            Random r = new Random(7);
            // the first query's photo, found before the timed open (the bench's own listing of 1M ids is no part of it)
            long firstQuery;
            try (Catalog c = Engine.openCatalog(paths)) {
                long[] all = c.embeddingIds(Engine.activeModelId(paths).orElseThrow());
                firstQuery = all[r.nextInt(all.length)];
            }
            System.gc();
            long open0 = System.nanoTime();
            long cpu0 = processCpuNanos();
            try (Engine ocular = bench.root.opener().open(paths, null)) {
                double openS = (System.nanoTime() - open0) / 1e9;
                double openCpuS = (processCpuNanos() - cpu0) / 1e9;
                ocular.search().search(new Query.ByImage(firstQuery), 10);
                o.put("open_s", openS);
                o.put("open_to_first_search_s", (System.nanoTime() - open0) / 1e9);
                o.put("open_cpu_s", openCpuS);
                o.put("open_to_first_search_cpu_s", (processCpuNanos() - cpu0) / 1e9);
                VectorIndex index = ocular.index();
                long[] ids = ocular.catalog().embeddingIds(ocular.activeModel().id());
                o.put("photos", ids.length);
                o.put("model", ocular.activeModel().id());
                o.put("dim", ocular.activeModel().dimension());
                o.put("index", ocular.indexDescription());
                o.put("rss_after_open_mb", rssMb());
                for (int i = 0; i < 20; i++) { // warm-up
                    ocular.search().search(new Query.ByImage(ids[r.nextInt(ids.length)]), 10);
                }
                o.put("by_photo", timed(queries, () -> {
                    long id = ids[r.nextInt(ids.length)];
                    return () -> ocular.search().search(new Query.ByImage(id), 10);
                }));
                o.put("with_feedback_30_excluded", timed(queries, () -> {
                    long id = ids[r.nextInt(ids.length)];
                    Set<Long> marked = new HashSet<>();
                    while (marked.size() < 30) {
                        marked.add(ids[r.nextInt(ids.length)]);
                    }
                    Query q = new Query.Refined(new Query.ByImage(id),
                            List.of(new Query.FeedbackRound(Set.of(), marked)));
                    return () -> ocular.search().search(q, 10);
                }));
                List<FolderRecord> folders = ocular.catalog().folders();
                for (int share : new int[]{1, 10}) {
                    Set<Path> chosen = new HashSet<>();
                    folders.subList(0, Math.min(folders.size(), share)).forEach(f -> chosen.add(f.path()));
                    SearchOptions scoped = SearchOptions.DEFAULT.withScope(
                            new SearchScope(chosen, null, null, Set.of()));
                    o.put("folder_filter_" + share + "pct", timed(queries, () -> {
                        long id = ids[r.nextInt(ids.length)];
                        return () -> ocular.search().search(new Query.ByImage(id), 10, scoped);
                    }));
                }
                // one year of twenty: about 5% of the photos
                SearchOptions year = SearchOptions.DEFAULT.withScope(new SearchScope(Set.of(),
                        Instant.parse("2015-01-01T00:00:00Z"), Instant.parse("2016-01-01T00:00:00Z"), Set.of()));
                o.put("date_filter_1_year", timed(queries, () -> {
                    long id = ids[r.nextInt(ids.length)];
                    return () -> ocular.search().search(new Query.ByImage(id), 10, year);
                }));
                if (index instanceof AdaptiveIndex a && recallQueries > 0) {
                    o.put("recall_at_10", recall(a, ids, recallQueries, r));
                }
                // a different ten folders each time: the catalog's answer, not the engine's remembered one
                int[] next = {0};
                o.put("scope_ids_10pct_ms", timed(Math.min(queries, 20), () -> {
                    SearchScope s = new SearchScope(tenFolders(folders, next[0]++), null, null, Set.of());
                    return () -> ocular.catalog().imageIdsIn(s);
                }));
                if (index instanceof AdaptiveIndex a && recallQueries > 0) {
                    o.put("recall_at_10_folders_10pct", scopedRecall(a, ids, recallQueries, r,
                            ocular.catalog().imageIdsIn(new SearchScope(tenFolders(folders, 0), null, null, Set.of()))));
                    o.put("recall_at_10_year", scopedRecall(a, ids, recallQueries, r, ocular.catalog().imageIdsIn(
                            year.scope())));
                }
                if (index instanceof AdaptiveIndex a && !points.isEmpty()) {
                    o.put("sweep", sweep(a, ids, points, recallQueries, queries, r));
                }
                o.put("rss_mb", rssMb());
                o.put("rss_anon_mb", procStatusMb("RssAnon:"));
                o.put("rss_file_mb", procStatusMb("RssFile:"));
                System.gc();
                Runtime rt = Runtime.getRuntime();
                o.put("heap_used_after_gc_mb", (rt.totalMemory() - rt.freeMemory()) / 1e6);
                o.put("heap_committed_mb", rt.totalMemory() / 1e6);
                if (index instanceof AdaptiveIndex a) {
                    o.put("code_tier_bytes_per_photo", a.codeBytesHeldPerPhoto());
                }
                o.put("max_heap_mb", rt.maxMemory() / 1e6);
            }
            o.put("load_after", load());
            o.put("threads", Runtime.getRuntime().availableProcessors());
            BenchCommand.print(spec.commandLine().getOut(), o, json);
            return 0;
        }

        /** Ten folders from the {@code start}-th on (wrapping around). */
        private static Set<Path> tenFolders(List<FolderRecord> folders, int start) {
            Set<Path> chosen = new HashSet<>();
            for (int i = 0; i < Math.min(10, folders.size()); i++) {
                chosen.add(folders.get((start + i) % folders.size()).path());
            }
            return chosen;
        }

        /** Recall@10 of the index's filtered search against exact filtered search, queries from anywhere. */
        private static double scopedRecall(AdaptiveIndex a, long[] ids, int count, Random r, BitSet inScope) {
            SearchFilter filter = SearchFilter.allowing(inScope);
            double hits = 0;
            for (int i = 0; i < count; i++) {
                float[] q = a.exact().vector(ids[r.nextInt(ids.length)]);
                List<Long> truth = a.exact().search(q, 10, filter).stream().map(ScoredId::id).toList();
                hits += a.search(q, 10, filter).stream().filter(s -> truth.contains(s.id())).count();
            }
            return hits / (10.0 * count);
        }

        /** Parses NPROBE:R items; a clear message for anything else. */
        static List<int[]> sweepPoints(List<String> items, CommandSpec spec) {
            List<int[]> points = new ArrayList<>();
            for (String item : items) {
                String[] parts = item.trim().split(":");
                try {
                    int nprobe = Integer.parseInt(parts[0].trim());
                    int rerank = parts.length == 2 ? Integer.parseInt(parts[1].trim()) : -1;
                    if (parts.length != 2 || nprobe < 0 || rerank < 0) {
                        throw new NumberFormatException();
                    }
                    points.add(new int[]{nprobe, rerank});
                } catch (NumberFormatException e) {
                    throw new ParameterException(spec.commandLine(), "--sweep takes NPROBE:R"
                            + " pairs of whole numbers >= 0 separated by commas (e.g. 16:50,16:200), not '" + item + "'.");
                }
            }
            return points;
        }

        /** Recall@10 and latency of the index alone at each point; the policy's parameters afterwards. */
        private static List<Map<String, Object>> sweep(AdaptiveIndex a, long[] ids, List<int[]> points, int recallQueries,
                                                       int queries, Random r) {
            List<Map<String, Object>> rows = new ArrayList<>();
            try {
                for (int[] p : points) {
                    a.searchParameters(p[0], p[1]);
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("index", a.describe());
                    row.put("recall_at_10", recall(a, ids, Math.max(1, recallQueries), new Random(11)));
                    row.putAll(timed(queries, () -> {
                        float[] q = a.exact().vector(ids[r.nextInt(ids.length)]);
                        return () -> a.search(q, 10);
                    }));
                    rows.add(row);
                }
            } finally {
                a.searchParameters(0, 0);
            }
            return rows;
        }

        private static double recall(AdaptiveIndex a, long[] ids, int count, Random r) {
            double hits = 0;
            for (int i = 0; i < count; i++) {
                float[] q = a.exact().vector(ids[r.nextInt(ids.length)]);
                List<Long> truth = a.exact().search(q, 10).stream().map(ScoredId::id).toList();
                hits += a.search(q, 10).stream().filter(s -> truth.contains(s.id())).count();
            }
            return hits / (10.0 * count);
        }
    }

    /** Times {@code count} runs; each supplier call prepares one query (untimed) and returns its run. */
    private static Map<String, Object> timed(int count, Supplier<Runnable> prepare) {
        double[] ms = new double[count];
        for (int i = 0; i < count; i++) {
            Runnable run = prepare.get();
            long t = System.nanoTime();
            run.run();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("p50_ms", ms[count / 2]);
        m.put("p99_ms", ms[Math.min(count - 1, (int) Math.ceil(count * 0.99) - 1)]);
        return m;
    }

    private static AppPaths libraryPaths(BenchCommand bench, Path dir) {
        return AppPaths.under(dir.toAbsolutePath().normalize()).withModelsDir(bench.root.paths().modelsDir());
    }

    /** This process's resident set (VmRSS of /proc/self/status), in MB; -1 where there is no /proc. */
    static double rssMb() {
        return procStatusMb("VmRSS:");
    }

    /**
     * A memory line of /proc/self/status in MB (VmRSS = RssAnon, the heap and native memory, + RssFile, pages of
     * mapped files such as the vector file that the OS may drop at any time); -1 where there is no /proc.
     */
    static double procStatusMb(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** CPU time of this whole process (every thread, the background ones too), in ns; -1 where unknown. */
    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }
}

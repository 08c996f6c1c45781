package io.ocular.app;

import io.ocular.engine.Engine;
import io.ocular.model.ImageStatus;
import io.ocular.search.AdaptiveIndex;
import io.ocular.search.ExactIndex;
import io.ocular.search.VectorIndex;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.OperatingSystemMXBean;

import javax.management.JMException;
import javax.management.ObjectName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * Samples a running engine for {@link SoakTest}: every interval one CSV row with the photos indexed so far,
 * images/s since the last row, heap used after a full GC ({@code System.gc()}, then the MemoryMXBean), the
 * library-sized structures of the live index measured from their actual allocations (the exact index's vector
 * chunks, {@link ExactIndex#vectorBytes()} counted as the G1 regions they occupy, and its id bookkeeping,
 * {@link ExactIndex#idBytes()}), RSS
 * ({@code VmRSS} of /proc/self/status), open files (/proc/self/fd), live threads, the searches since the last
 * row with their p50/p99, and the process's CPU seconds since sampling started (photos per CPU second: a rate
 * that does not depend on the machine's load).
 *
 * <p>Why those two are subtracted from the heap when looking for a leak: they hold one vector and one id → row
 * entry per indexed photo by design (docs/decisions/0050), so they must grow while the library grows; anything
 * else that grows with the photo count is a leak or an unbounded cache until shown otherwise. Nothing else is
 * subtracted.
 */
final class SoakSampler implements AutoCloseable {
    /** One row. */
    record Sample(double seconds, long indexed, double imagesPerSecond, double heapAfterGcMb, double indexMb,
                  double idsMb, double rssMb, long openFiles, int threads, int searches, double p50Ms, double p99Ms,
                  double processCpuSeconds) {
        String csv() {
            return String.format(Locale.ROOT, "%.1f,%d,%.1f,%.1f,%.1f,%.2f,%.1f,%d,%d,%d,%.2f,%.2f,%.1f", seconds,
                    indexed, imagesPerSecond, heapAfterGcMb, indexMb, idsMb, rssMb, openFiles, threads, searches,
                    p50Ms, p99Ms, processCpuSeconds);
        }

        /** Heap after GC less the index's vectors and id bookkeeping (the structures sized by the library). */
        double residualMb() {
            return heapAfterGcMb - indexMb - idsMb;
        }
    }

    static final String HEADER = "seconds,indexed,images_per_s,heap_after_gc_mb,index_vectors_mb,index_ids_mb,rss_mb,"
            + "open_files,threads,searches,search_p50_ms,search_p99_ms,process_cpu_s";

    private final Engine engine;
    private final Path csv;
    private final Duration interval;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "soak-sampler");
        t.setDaemon(true);
        return t;
    });
    private final List<Long> latencies = new ArrayList<>(); // guarded by itself
    private final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong searchFailures = new AtomicLong();
    private final AtomicLong searches = new AtomicLong();
    private long startNanos;
    /** The process's CPU time when sampling started (photo generation and start-up are not counted). */
    private double startCpuSeconds;
    private long lastNanos;
    private long lastIndexed;
    private final List<Long> histogramAt = new ArrayList<>(); // indexed counts still to dump a histogram at

    SoakSampler(Engine engine, Path csv, Duration interval) throws IOException {
        this.engine = engine;
        this.csv = csv;
        this.interval = interval;
        Files.createDirectories(csv.toAbsolutePath().getParent());
        Files.writeString(csv, HEADER + "\n");
    }

    void start() {
        startNanos = System.nanoTime();
        startCpuSeconds = processCpuSeconds();
        lastNanos = startNanos;
        timer.scheduleAtFixedRate(this::sampleNow, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Writes a live-object class histogram ({@code GC.class_histogram}, as jcmd does) next to the CSV at the
     * first sample with at least each of these counts indexed: compared, they show what grows.
     */
    synchronized void histogramsAt(long... indexedCounts) {
        for (long c : indexedCounts) {
            histogramAt.add(c);
        }
        Collections.sort(histogramAt);
    }

    void searched(long nanos) {
        searches.incrementAndGet();
        synchronized (latencies) {
            latencies.add(nanos);
        }
    }

    void searchFailed() {
        searchFailures.incrementAndGet();
    }

    synchronized void sampleNow() {
        long now = System.nanoTime();
        long indexed = engine.catalog().countImages(ImageStatus.INDEXED);
        double dt = (now - lastNanos) / 1e9;
        double rate = dt <= 0 ? 0 : (indexed - lastIndexed) / dt;
        lastNanos = now;
        lastIndexed = indexed;
        System.gc();
        double heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0;
        VectorIndex live = engine.index();
        ExactIndex exact = live instanceof AdaptiveIndex a && a.exact() instanceof ExactIndex e ? e
                : live instanceof ExactIndex e ? e : null;
        // another index kind: its vectors at 4 bytes a float, its ids not counted (the soak runs the exact one)
        double index = (exact != null ? heldByChunks(exact.vectorBytes(), exact.dimension())
                : (double) live.size() * live.dimension() * 4) / 1048576.0;
        double ids = exact != null ? exact.idBytes() / 1048576.0 : 0;
        List<Long> lat;
        synchronized (latencies) {
            lat = new ArrayList<>(latencies);
            latencies.clear();
        }
        Collections.sort(lat);
        Sample s = new Sample((now - startNanos) / 1e9, indexed, rate, heap, index, ids, rssMb(), openFiles(),
                ManagementFactory.getThreadMXBean().getThreadCount(), lat.size(), percentile(lat, 0.50),
                percentile(lat, 0.99), processCpuSeconds() - startCpuSeconds);
        samples.add(s);
        if (!histogramAt.isEmpty() && indexed >= histogramAt.get(0)) {
            histogramAt.remove(0);
            writeHistogram(csv.toAbsolutePath().getParent().resolve(
                    csv.getFileName().toString().replace(".csv", "") + "-histogram-" + indexed + ".txt"));
        }
        try {
            Files.writeString(csv, s.csv() + "\n", StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Heap the exact index's vector chunks take: each chunk (8,192 rows × dimension floats, 13.9 MB at 424) is a
     * humongous object to G1, which gives it whole regions; the tail of its last region is counted as used heap
     * but holds no object (0.79 MB a chunk at 424 with 2 MiB regions, measured: heap used after GC grew 14.68 MB
     * per chunk). Without this the residual crept by that much per chunk (0260, fourth run).
     */
    static double heldByChunks(long vectorBytes, int dimension) {
        return heldByChunks(vectorBytes, dimension, g1RegionBytes());
    }

    /** As above with the region size given (0: not G1); an array under half a region is not humongous. */
    static double heldByChunks(long vectorBytes, int dimension, long region) {
        long chunk = (long) ExactIndex.CHUNK_ROWS * dimension * Float.BYTES;
        long chunks = (vectorBytes + chunk - 1) / chunk;
        long object = chunk + 16; // the array header
        long perChunk = region <= 0 || object < region / 2 ? chunk : (object + region - 1) / region * region;
        return (double) chunks * perChunk;
    }

    private static long g1RegionBytes() {
        try {
            HotSpotDiagnosticMXBean hs = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return ManagementFactory.getGarbageCollectorMXBeans().stream().anyMatch(g -> g.getName().startsWith("G1"))
                    ? Long.parseLong(hs.getVMOption("G1HeapRegionSize").getValue()) : 0;
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static double percentile(List<Long> sorted, double q) {
        if (sorted.isEmpty()) {
            return 0;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1)) / 1e6;
    }

    static double processCpuSeconds() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os
                ? os.getProcessCpuTime() / 1e9 : Double.NaN;
    }

    private static void writeHistogram(Path file) {
        try {
            Object text = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[]{new String[0]}, new String[]{String[].class.getName()});
            Files.writeString(file, String.valueOf(text));
        } catch (JMException | IOException e) {
            System.out.println("soak: no class histogram: " + e);
        }
    }

    static double rssMb() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
            return lines.filter(l -> l.startsWith("VmRSS:")).findFirst()
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0).orElse(-1.0);
        } catch (IOException e) {
            return -1;
        }
    }

    static long openFiles() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            return -1;
        }
    }

    /** What the run showed. */
    record Summary(List<Sample> samples, long searches, long searchFailures) {
        /** The samples while indexing the first {@code n} photos. */
        List<Sample> indexing(int n) {
            List<Sample> out = new ArrayList<>();
            for (Sample s : samples) {
                out.add(s);
                if (s.indexed() >= n) {
                    break;
                }
            }
            return out;
        }

        /** Least-squares slope of {@code y} against minutes over the samples from 25% of the time on. */
        static double slopePerMinute(List<Sample> all, ToDoubleFunction<Sample> y) {
            if (all.size() < 3) {
                return Double.NaN;
            }
            double end = all.get(all.size() - 1).seconds();
            List<Sample> tail = all.stream().filter(s -> s.seconds() >= 0.25 * end).toList();
            double mx = tail.stream().mapToDouble(s -> s.seconds() / 60).average().orElse(0);
            double my = tail.stream().mapToDouble(y).average().orElse(0);
            double num = 0;
            double den = 0;
            for (Sample s : tail) {
                double dx = s.seconds() / 60 - mx;
                num += dx * (y.applyAsDouble(s) - my);
                den += dx * dx;
            }
            return den == 0 ? Double.NaN : num / den;
        }

        /** Images/s over a fraction of the indexing time (by indexed count between the nearest samples). */
        static double rate(List<Sample> run, double from, double to) {
            return perClock(run, from, to, Sample::seconds);
        }

        /** Photos indexed per second of the whole process's CPU time over a fraction of the indexing time. */
        static double cpuRate(List<Sample> run, double from, double to) {
            return perClock(run, from, to, Sample::processCpuSeconds);
        }

        /** Photos indexed per unit of {@code clock} between the samples nearest a fraction of the wall time. */
        private static double perClock(List<Sample> run, double from, double to, ToDoubleFunction<Sample> clock) {
            double end = run.get(run.size() - 1).seconds();
            Sample a = null;
            Sample b = null;
            for (Sample s : run) {
                if (a == null && s.seconds() >= from * end) {
                    a = s;
                }
                if (s.seconds() <= to * end) {
                    b = s;
                }
            }
            if (a == null || b == null || clock.applyAsDouble(b) <= clock.applyAsDouble(a)) {
                return Double.NaN;
            }
            return (b.indexed() - a.indexed()) / (clock.applyAsDouble(b) - clock.applyAsDouble(a));
        }

        String describe(int n, int trickled) {
            List<Sample> run = indexing(n);
            Sample last = samples.get(samples.size() - 1);
            Sample first = samples.get(0);
            double heapSlope = slopePerMinute(run, Sample::heapAfterGcMb);
            double vectorsOut = slopePerMinute(run, s -> s.heapAfterGcMb() - s.indexMb());
            double residualSlope = slopePerMinute(run, Sample::residualMb);
            double rssSlope = slopePerMinute(run, Sample::rssMb);
            double early = rate(run, 0.05, 0.25);
            double late = rate(run, 0.75, 1.0);
            double earlyCpu = cpuRate(run, 0.05, 0.25);
            double lateCpu = cpuRate(run, 0.75, 1.0);
            List<Double> p50 = run.stream().filter(s -> s.searches() > 0).map(Sample::p50Ms).toList();
            List<Double> p99 = run.stream().filter(s -> s.searches() > 0).map(Sample::p99Ms).toList();
            return String.format(Locale.ROOT, "%d photos (+%d trickled into the watched folder) indexed in %.0f s"
                            + " (%.1f images/s); rate %.1f/s over 5-25%% of the time vs %.1f/s over 75-100%% (%+.0f%%);"
                            + " per process-CPU second %.2f vs %.2f (%+.0f%%);"
                            + " heap after GC %.0f -> %.0f MB, slope over the last 75%% %+.2f MB/min raw; without the"
                            + " index's vector chunks (%.0f MB allocated at the end) %+.2f MB/min; without those and its"
                            + " id bookkeeping (%.1f MB) %+.2f MB/min (residual %.0f -> %.0f MB);"
                            + " RSS %.0f -> %.0f MB (%+.2f MB/min);"
                            + " open files %d -> %d; threads %d -> %d; %d searches (%d without a vector yet),"
                            + " p50 per sample %s ms, p99 per sample %s ms",
                    n, trickled, run.get(run.size() - 1).seconds(), n / run.get(run.size() - 1).seconds(), early, late,
                    100 * (late - early) / early, earlyCpu, lateCpu, 100 * (lateCpu - earlyCpu) / earlyCpu,
                    first.heapAfterGcMb(), run.get(run.size() - 1).heapAfterGcMb(),
                    heapSlope, last.indexMb(), vectorsOut, last.idsMb(), residualSlope, first.residualMb(),
                    run.get(run.size() - 1).residualMb(), first.rssMb(), last.rssMb(), rssSlope, first.openFiles(),
                    last.openFiles(), first.threads(), last.threads(), searches, searchFailures, range(p50), range(p99));
        }

        /**
         * One line per tenth of the indexing time: images/s over that tenth, heap after GC (lowest and median of
         * its samples: the median moves with the work in flight at the moment of a sample, the lowest is the
         * floor that a leak would lift), the lowest residual (heap after GC less the index's vectors and ids), the
         * exact index's vector chunks and id bookkeeping at its end, RSS at its end, open files at its end, and the
         * median of the per-sample search p50 and p99.
         */
        String tenths(int n) {
            List<Sample> run = indexing(n);
            double end = run.get(run.size() - 1).seconds();
            StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                    "%-7s %7s %8s %9s %9s %9s %8s %7s %7s %6s %6s %5s %8s %8s%n", "tenth", "end_s", "indexed", "img/s",
                    "img/cpu-s", "heapMin", "heapMed", "resMin", "vecMB", "idsMB", "rssMB", "fds", "p50ms", "p99ms"));
            Sample prev = null;
            for (int t = 0; t < 10; t++) {
                double lo = t * end / 10;
                double hi = (t + 1) * end / 10;
                List<Sample> in = run.stream().filter(s -> s.seconds() > lo && s.seconds() <= hi).toList();
                if (in.isEmpty()) {
                    continue;
                }
                Sample last = in.get(in.size() - 1);
                double fromS = prev == null ? 0 : prev.seconds();
                long fromN = prev == null ? 0 : prev.indexed();
                double rate = (last.indexed() - fromN) / Math.max(1e-9, last.seconds() - fromS);
                double fromCpu = prev == null ? 0 : prev.processCpuSeconds();
                double cpuRate = (last.indexed() - fromN) / Math.max(1e-9, last.processCpuSeconds() - fromCpu);
                out.append(String.format(Locale.ROOT,
                        "%-7s %7.0f %8d %9.1f %9.2f %9.0f %8.0f %7.0f %7.0f %6.1f %6.0f %5d %8.1f %8.1f%n",
                        (t * 10) + "-" + (t * 10 + 10) + "%", last.seconds(), last.indexed(), rate, cpuRate,
                        in.stream().mapToDouble(Sample::heapAfterGcMb).min().orElse(0),
                        median(in.stream().map(Sample::heapAfterGcMb).toList()),
                        in.stream().mapToDouble(Sample::residualMb).min().orElse(0), last.indexMb(), last.idsMb(),
                        last.rssMb(),
                        last.openFiles(), median(in.stream().filter(s -> s.searches() > 0).map(Sample::p50Ms).toList()),
                        median(in.stream().filter(s -> s.searches() > 0).map(Sample::p99Ms).toList())));
                prev = last;
            }
            return out.toString();
        }

        /** Least-squares slope (MB/min) of the lowest heap after GC per minute, over the last 75% of the indexing. */
        double heapFloorSlope(int n) {
            return floorSlope(n, Sample::heapAfterGcMb);
        }

        /** As {@link #heapFloorSlope}, of the residual: heap after GC less the index's vectors and ids. */
        double residualFloorSlope(int n) {
            return floorSlope(n, Sample::residualMb);
        }

        private double floorSlope(int n, ToDoubleFunction<Sample> y) {
            List<Sample> run = indexing(n);
            Map<Long, Sample> floor = new TreeMap<>();
            for (Sample s : run) {
                floor.merge((long) (s.seconds() / 60), s, (a, b) -> y.applyAsDouble(a) <= y.applyAsDouble(b) ? a : b);
            }
            return slopePerMinute(List.copyOf(floor.values()), y);
        }

        private static double median(List<Double> v) {
            if (v.isEmpty()) {
                return Double.NaN;
            }
            List<Double> s = new ArrayList<>(v);
            Collections.sort(s);
            return s.get(s.size() / 2);
        }

        private static String range(List<Double> v) {
            if (v.isEmpty()) {
                return "-";
            }
            List<Double> s = new ArrayList<>(v);
            Collections.sort(s);
            return String.format(Locale.ROOT, "%.1f..%.1f (median %.1f)", s.get(0), s.get(s.size() - 1),
                    s.get(s.size() / 2));
        }
    }

    Summary summary() {
        synchronized (samples) {
            return new Summary(List.copyOf(samples), searches.get(), searchFailures.get());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}

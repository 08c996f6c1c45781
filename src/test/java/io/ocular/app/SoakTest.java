package io.ocular.app;

import io.ocular.engine.AppPaths;
import io.ocular.engine.Engine;
import io.ocular.model.ImageStatus;
import io.ocular.model.Query;
import io.ocular.testing.PhotoVariants;
import io.ocular.ui.common.AppInfo;
import javafx.application.Platform;
import javafx.stage.Window;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Soak (issue 16 part 5): N distinct photos made from the shared photos (crops, quarter turns, resized, JPEG/PNG
 * re-encodes; in a temp folder, never committed) are indexed by the real headless {@link Engine} (built-in
 * descriptor) with the library folder watched, while a client thread searches without pause and a trickle of
 * new photos arrives in the watched folder. Every few seconds {@link SoakSampler} records images/s, heap after
 * a full GC, RSS, open files, threads and search p50/p99 into a CSV; at the end it prints the slope of heap
 * after GC over the last 75% of the indexing (raw, and without the exact index's vector chunks and id
 * bookkeeping, measured from their allocations: they grow with the collection by design, see SoakSampler). With {@code ocular.soak.window=true} (default) the real window is open over the
 * engine (headless, Monocle) and {@link FxPulseMonitor} records FX-thread stalls and where they were.
 *
 * <p>{@code mvn -B -Pslow test -Dtest=SoakTest -Docular.soak.n=100000} (skipped without ../shared). Properties:
 * {@code ocular.soak.n} (default 3000), {@code ocular.soak.sample.seconds} (5), {@code ocular.soak.csv}
 * (target/soak/soak-N.csv), {@code ocular.soak.dir} (where the photos and data folder go; a temp folder by
 * default).
 */
@Tag("slow")
class SoakTest {
    private static final int N = Integer.getInteger("ocular.soak.n", 3000);
    private static final boolean WINDOW = Boolean.parseBoolean(System.getProperty("ocular.soak.window", "true"));

    @TempDir
    Path tmp;

    @Test
    void indexingWhileSearchingStaysFlat() throws Exception {
        Path root = System.getProperty("ocular.soak.dir") == null ? tmp : Path.of(System.getProperty("ocular.soak.dir"));
        Path library = root.resolve("library");
        Path trickleDir = library.resolve("trickle");
        PhotoVariants variants = PhotoVariants.fromSharedPhotos(1000);
        long g0 = System.nanoTime();
        int existing = countFiles(library);
        if (existing < N) { // reused between runs with the same folder: variants are written in order, so only
            // the missing ones are made (the last one again, in case an earlier run stopped while writing it)
            IntStream.range(Math.max(0, existing - 1), N).parallel().forEach(i -> {
                try {
                    variants.write(library, i);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        double generateSeconds = (System.nanoTime() - g0) / 1e9;
        if (Files.isDirectory(trickleDir)) { // photos trickled in by an earlier run over the same folder
            try (Stream<Path> old = Files.walk(trickleDir)) {
                old.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(trickleDir);
        Path csv = Path.of(System.getProperty("ocular.soak.csv", "target/soak/soak-" + N + ".csv"));
        int sampleSeconds = Integer.getInteger("ocular.soak.sample.seconds", 5);
        System.out.printf("soak: %d photos generated in %.0f s (%d sources) under %s%n", N, generateSeconds,
                variants.sources(), library);

        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger trickled = new AtomicInteger();
        AppPaths paths = AppPaths.under(root.resolve("data-" + System.nanoTime())).createDirectories();
        try (Engine engine = Engine.open(paths, null);
             SoakSampler sampler = new SoakSampler(engine, csv, Duration.ofSeconds(sampleSeconds));
             FxPulseMonitor pulses = new FxPulseMonitor()) {
            Thread window = null;
            if (WINDOW) { // the real window over the engine, headless (Monocle), showing the library as it grows
                // Monocle's headless screen is 1280x800 unless told; a larger window overflows its frame buffer
                System.setProperty("headless.geometry", "1920x1200-32");
                window = new Thread(() -> {
                    try {
                        DesktopLauncher.launch(engine, DesktopMain.modelManager(engine),
                                new AppInfo("soak", paths.dataDir(), paths.logsDir()), DesktopMain.thumbnails(engine),
                                new LaunchHandoff());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "soak-window");
                window.start();
                awaitWindow();
                pulses.start();
            }
            Thread client = new Thread(() -> {
                SplittableRandom rnd = new SplittableRandom(5);
                while (!stop.get()) {
                    int size = engine.index().size();
                    if (size == 0) {
                        sleep(50);
                        continue;
                    }
                    long id = 1 + rnd.nextInt(Math.max(1, size));
                    long t = System.nanoTime();
                    try {
                        engine.search().search(new Query.ByImage(id), 20);
                        sampler.searched(System.nanoTime() - t);
                    } catch (RuntimeException e) {
                        sampler.searchFailed(); // an id without a vector (yet): not a latency sample
                    }
                }
            }, "soak-search-client");
            Thread trickle = new Thread(() -> { // a camera import arriving in the watched folder
                int i = 0;
                while (!stop.get()) {
                    sleep(3000);
                    try {
                        variants.write(trickleDir, N + i++);
                        trickled.incrementAndGet();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }, "soak-trickle");
            sampler.histogramsAt(N / 4, N / 2, N);
            sampler.start();
            engine.indexer().addFolder(library);
            client.start();
            trickle.start();
            long deadline = System.nanoTime() + Duration.ofHours(4).toNanos();
            while (engine.catalog().countImages(ImageStatus.INDEXED) < N && System.nanoTime() < deadline) {
                Thread.sleep(1000);
            }
            stop.set(true);
            trickle.join();
            Thread.sleep(3000); // the watcher's debounce, then the last trickled photos
            engine.indexer().awaitIdle(Duration.ofMinutes(2));
            sampler.sampleNow();
            client.join();
            SoakSampler.Summary s = sampler.summary();
            System.out.println("soak: " + s.describe(N, trickled.get()));
            System.out.printf("soak: slope of the lowest heap after GC per minute over the last 75%%: %+.2f MB/min"
                    + " (of the residual without the index's vectors and ids: %+.2f MB/min)%n", s.heapFloorSlope(N),
                    s.residualFloorSlope(N));
            System.out.print("soak: per tenth of the indexing time\n" + s.tenths(N));
            if (window != null) {
                System.out.println("soak: FX thread (window open, headless): " + pulses.describe());
                Platform.runLater(() -> List.copyOf(Window.getWindows()).forEach(Window::hide));
                window.join(30_000);
            }
            System.out.println("soak: CSV " + csv.toAbsolutePath());
            assertThat(engine.catalog().countImages(ImageStatus.INDEXED)).isEqualTo(N + trickled.get());
            assertThat(engine.catalog().countImages(ImageStatus.SKIPPED)).isZero();
            assertThat(s.searches()).isPositive();
        }
    }

    /** Waits until the window is showing. */
    private static void awaitWindow() throws InterruptedException {
        long end = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < end) {
            CountDownLatch answered = new CountDownLatch(1);
            boolean[] showing = new boolean[1];
            try {
                Platform.runLater(() -> {
                    showing[0] = Window.getWindows().stream().anyMatch(Window::isShowing);
                    answered.countDown();
                });
                answered.await(5, TimeUnit.SECONDS);
            } catch (IllegalStateException notYetStarted) {
                // the toolkit is starting
            }
            if (showing[0]) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the window did not open");
    }

    private static int countFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return (int) s.filter(Files::isRegularFile).filter(p -> !p.startsWith(dir.resolve("trickle"))).count();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

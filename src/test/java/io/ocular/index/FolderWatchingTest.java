package io.ocular.index;

import io.ocular.embed.BuiltinDescriptor;
import io.ocular.model.ImageStatus;
import io.ocular.model.IndexProgress;
import io.ocular.store.SqliteCatalog;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Folder watching end to end: the real SQLite catalog, the builtin descriptor, real files in a temporary
 * library; nothing calls rescan. A photo copied in, renamed and deleted is reflected; a burst of files gives
 * a few folder scans, not a storm; a library folder that disappears is reported offline and loses nothing.
 */
class FolderWatchingTest {
    private static final Duration DEBOUNCE = Duration.ofMillis(300);
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    /** The real file system, counting directory listings per folder (one per scan of that folder). */
    static final class CountingFileAccess implements FileAccess {
        private final FileAccess real = FileAccess.system();
        final Map<Path, AtomicInteger> listings = new ConcurrentHashMap<>();

        int listings(Path p) {
            return listings.getOrDefault(p, new AtomicInteger()).get();
        }

        @Override
        public BasicFileAttributes attributes(Path path) throws IOException {
            return real.attributes(path);
        }

        @Override
        public BasicFileAttributes linkAttributes(Path path) throws IOException {
            return real.linkAttributes(path);
        }

        @Override
        public DirectoryStream<Path> list(Path d) throws IOException {
            listings.computeIfAbsent(d, k -> new AtomicInteger()).incrementAndGet();
            return real.list(d);
        }

        @Override
        public SeekableByteChannel open(Path file) throws IOException {
            return real.open(file);
        }
    }

    private final CountingFileAccess files = new CountingFileAccess();
    private final List<IndexProgress> events = new CopyOnWriteArrayList<>();

    private IndexingDaemon daemon(SqliteCatalog catalog) {
        IndexingDaemon d = new IndexingDaemon(catalog, BuiltinDescriptor::new,
                new ImageDecoder(files, ImageDecoder.DEFAULT_MAX_PIXELS), new ContentHasher(files),
                new FolderScanner(files), files, Clock.systemUTC(),
                IndexingDaemon.Config.defaults().withWorkers(2).withBatchSize(32).withWatching(DEBOUNCE));
        d.addListener(events::add);
        return d;
    }

    private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        eventually(what, WAIT, condition);
    }

    private static void eventually(String what, Duration wait, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private boolean noticed(String text) {
        return events.stream().anyMatch(p -> p.notice() != null && p.notice().contains(text));
    }

    @Test
    void copiedRenamedAndDeletedPhotosAreReflectedWithoutARescanAndAVanishedFolderIsOffline() throws Exception {
        Path lib = dir.resolve("lib");
        for (int i = 0; i < 3; i++) {
            TestImages.write(TestImages.seeded(i, 40, 30), "jpg", lib.resolve("album").resolve(i + ".jpg"));
        }
        Path outside = TestImages.write(TestImages.seeded(9, 40, 30), "png", dir.resolve("camera/new.png"));
        try (SqliteCatalog catalog = SqliteCatalog.open(dir.resolve("c.db"));
             IndexingDaemon daemon = daemon(catalog)) {
            daemon.addFolder(lib);
            assertThat(daemon.awaitIdle(WAIT)).isTrue();
            daemon.awaitWatching(WAIT);
            assertThat(catalog.countImages(ImageStatus.INDEXED)).isEqualTo(3);
            events.clear();

            Path copied = Files.copy(outside, lib.resolve("album/copied.png"));
            eventually("copied photo indexed", () -> catalog.imageByPath(copied).isPresent());
            eventually("daemon idle", () -> daemon.progress().state() != IndexProgress.State.SCANNING);
            assertThat(daemon.awaitIdle(WAIT)).isTrue();
            assertThat(noticed("1 new photo found")).as("the indexing panel is told").isTrue();
            long id = catalog.imageByPath(copied).orElseThrow().id();
            assertThat(catalog.embedding(id, BuiltinDescriptor.MODEL_ID)).isPresent();

            Path renamed = Files.move(copied, lib.resolve("album/renamed.png"));
            eventually("rename seen", () -> catalog.imageByPath(renamed).isPresent()
                    && catalog.imageByPath(copied).isEmpty());
            assertThat(catalog.imageByPath(renamed).orElseThrow().id()).as("same image, not re-embedded").isEqualTo(id);

            Files.delete(renamed);
            eventually("delete seen", () -> catalog.imageByPath(renamed).isEmpty());
            assertThat(daemon.awaitIdle(WAIT)).isTrue();
            assertThat(catalog.countImages(ImageStatus.INDEXED)).isEqualTo(3);

            // the drive goes away: the library folder vanishes as a whole
            events.clear();
            Path unplugged = Files.move(lib, dir.resolve("unplugged"), StandardCopyOption.ATOMIC_MOVE);
            deleteTree(unplugged);
            eventually("offline reported", () -> noticed("offline"));
            assertThat(daemon.awaitIdle(WAIT)).isTrue();
            assertThat(catalog.countImages(ImageStatus.INDEXED)).as("nothing deleted").isEqualTo(3);
            assertThat(catalog.folders()).hasSize(1);
        }
    }

    @Test
    void aBurstOfFilesIsAFewFolderScansNotAStorm() throws Exception {
        burst(500);
    }

    @Test
    @Tag("slow")
    void aBurstOfTenThousandFilesIsAFewFolderScansNotAStorm() throws Exception {
        burst(10_000);
    }

    private void burst(int n) throws Exception {
        Path lib = dir.resolve("lib");
        Files.createDirectories(lib.resolve("inbox"));
        TestImages.write(TestImages.seeded(1, 40, 30), "jpg", lib.resolve("first.jpg"));
        byte[] tiny = Files.readAllBytes(TestImages.write(TestImages.seeded(2, 8, 8), "png", dir.resolve("tiny.png")));
        try (SqliteCatalog catalog = SqliteCatalog.open(dir.resolve("c.db"));
             IndexingDaemon daemon = daemon(catalog)) {
            daemon.addFolder(lib);
            assertThat(daemon.awaitIdle(WAIT)).isTrue();
            daemon.awaitWatching(WAIT);
            int before = files.listings(lib.resolve("inbox"));

            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                // distinct content, so no file is taken for a move of another
                byte[] b = tiny.clone();
                Files.write(lib.resolve("inbox").resolve("t" + i + ".png"), concat(b, i));
            }
            // generous on a loaded 2-core machine: about 5 ms per file here, 20 ms allowed
            eventually(n + " files indexed", WAIT.plusMillis(20L * n), () -> catalog.countImages(ImageStatus.INDEXED)
                    + catalog.countImages(ImageStatus.SKIPPED) == n + 1);
            assertThat(daemon.awaitIdle(WAIT)).isTrue();
            int scans = files.listings(lib.resolve("inbox")) - before;
            long seconds = Math.max(1, Duration.ofNanos(System.nanoTime() - start).toSeconds());
            LoggerFactory.getLogger(FolderWatchingTest.class).info("burst of {} files: {} scans of the folder, {} s",
                    n, scans, seconds);
            // one scan per quiet period, at most one per ten debounce periods of continuous change, plus an
            // overflow's full rescan: bounded by the burst's duration, not by its size
            assertThat(scans).as("folder scans for %d files in %d s", n, seconds)
                    .isBetween(1, (int) (seconds / (DEBOUNCE.toMillis() * 10 / 1000.0)) + 4);
            assertThat(catalog.countImages(ImageStatus.INDEXED)).isEqualTo(n + 1);
        }
    }

    /** The PNG with a trailing chunk-free byte run made unique by {@code i} (decoders ignore trailing bytes). */
    private static byte[] concat(byte[] png, int i) {
        byte[] out = Arrays.copyOf(png, png.length + 4);
        out[png.length] = (byte) (i >>> 24);
        out[png.length + 1] = (byte) (i >>> 16);
        out[png.length + 2] = (byte) (i >>> 8);
        out[png.length + 3] = (byte) i;
        return out;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}

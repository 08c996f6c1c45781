package io.ocular.index;

import io.ocular.model.ImageStatus;
import io.ocular.model.IndexProgress;
import io.ocular.model.ModelInfo;
import io.ocular.model.ModelKind;
import io.ocular.model.StorageException;
import io.ocular.store.Catalog;
import io.ocular.store.CatalogCheck;
import io.ocular.store.SqliteCatalog;
import io.ocular.testing.FakeImageEncoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile storage through injection (the real-mount versions are in {@code HostileStorageMountTest}): the data
 * folder's disk fills up or turns read-only while indexing (indexing pauses with a clear message, loses nothing
 * and resumes by itself), and a library folder's drive goes away in the middle of a scan (nothing deleted, the
 * folder reported offline, back when the drive returns).
 */
class HostileStorageTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final long MB = 1L << 20;

    @TempDir
    Path tmp;

    private final List<IndexProgress> events = new CopyOnWriteArrayList<>();
    private SqliteCatalog sqlite;
    private IndexingDaemon daemon;

    @AfterEach
    void close() {
        if (daemon != null) {
            daemon.close();
        }
        if (sqlite != null) {
            sqlite.close();
        }
    }

    /** The real file system, with a disk whose free space, write access and presence the test decides. */
    static final class Disk implements FileAccess {
        private final FileAccess real = FileAccess.system();
        final AtomicLong free = new AtomicLong(10_000 * MB);
        final AtomicBoolean writable = new AtomicBoolean(true);
        /** Paths under it are gone (an unplugged drive) once {@link #listsBeforeUnplug} listings were made. */
        volatile Path drive;
        final AtomicInteger listsBeforeUnplug = new AtomicInteger(Integer.MAX_VALUE);
        /** The drive is gone but its mount point stays: an empty folder. */
        volatile boolean emptyMountPoint;

        private boolean gone(Path p) {
            Path d = drive;
            return d != null && listsBeforeUnplug.get() <= 0 && p.toAbsolutePath().normalize().startsWith(d)
                    && !(emptyMountPoint && p.toAbsolutePath().normalize().equals(d));
        }

        private void check(Path p) throws NoSuchFileException {
            if (gone(p)) {
                throw new NoSuchFileException(p.toString());
            }
        }

        @Override
        public BasicFileAttributes attributes(Path path) throws IOException {
            check(path);
            return real.attributes(path);
        }

        @Override
        public BasicFileAttributes linkAttributes(Path path) throws IOException {
            check(path);
            return real.linkAttributes(path);
        }

        @Override
        public DirectoryStream<Path> list(Path dir) throws IOException {
            check(dir);
            if (drive != null && dir.toAbsolutePath().normalize().startsWith(drive)) {
                listsBeforeUnplug.decrementAndGet();
            }
            if (emptyMountPoint && listsBeforeUnplug.get() <= 0 && dir.toAbsolutePath().normalize().equals(drive)) {
                return new DirectoryStream<>() {
                    @Override
                    public Iterator<Path> iterator() {
                        return List.<Path>of().iterator();
                    }

                    @Override
                    public void close() {
                    }
                };
            }
            return real.list(dir);
        }

        @Override
        public SeekableByteChannel open(Path file) throws IOException {
            check(file);
            return real.open(file);
        }

        @Override
        public long usableSpace(Path dir) {
            return free.get();
        }

        @Override
        public boolean writable(Path dir) {
            return writable.get();
        }
    }

    /** A catalog whose active model is the fake encoder's (what the check counts vectors of). */
    static SqliteCatalog open(Path file) {
        SqliteCatalog c = SqliteCatalog.open(file);
        c.registerModel(new ModelInfo("fake-colour-v1", "fake", ModelKind.IMAGE, FakeImageEncoder.DIMENSION, ""));
        c.setActiveModelId("fake-colour-v1");
        return c;
    }

    private Path library(int n) throws IOException {
        Path lib = tmp.resolve("library");
        for (int i = 0; i < n; i++) {
            TestImages.write(TestImages.seeded(i, 32, 24), "png", lib.resolve("d" + (i % 5)).resolve("p" + i + ".png"));
        }
        return lib;
    }

    private IndexingDaemon start(Catalog catalog, Disk disk, StorageCheck check, long encoderDelayMs) {
        FakeImageEncoder encoder = new FakeImageEncoder();
        encoder.setDelay(Duration.ofMillis(encoderDelayMs));
        daemon = new IndexingDaemon(catalog, () -> encoder, new ImageDecoder(disk, ImageDecoder.DEFAULT_MAX_PIXELS),
                new ContentHasher(disk), new FolderScanner(disk), disk, Clock.systemUTC(),
                IndexingDaemon.Config.defaults().withWorkers(2).withBatchSize(8).withWatching(null)
                        .withStorageCheck(check));
        daemon.addListener(events::add);
        return daemon;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(end);
            Thread.sleep(10);
        }
    }

    private boolean seen(Predicate<IndexProgress> p) {
        return events.stream().anyMatch(p);
    }

    private void assertIntact(long indexed) {
        CatalogCheck.Report r = CatalogCheck.check(tmp.resolve("data/catalog.db"));
        assertThat(r.ok()).as(r.summary()).isTrue();
        assertThat(sqlite.countImages(ImageStatus.INDEXED)).isEqualTo(indexed);
        assertThat(sqlite.countEmbeddings("fake-colour-v1")).isEqualTo(indexed);
    }

    @Test
    void aFullDiskPausesIndexingWithAClearMessageAndItResumesWhenSpaceReturns() throws Exception {
        Path lib = library(240);
        sqlite = open(tmp.resolve("data/catalog.db"));
        Disk disk = new Disk();
        start(sqlite, disk, new StorageCheck(tmp.resolve("data"), 100 * MB, Duration.ofMillis(100)), 40);
        daemon.addFolder(lib);
        await("some photos indexed", () -> sqlite.countImages(ImageStatus.INDEXED) >= 40);
        disk.free.set(20 * MB); // another program fills the disk

        await("the pause", () -> seen(p -> p.state() == IndexProgress.State.PAUSED && p.notice() != null
                && p.notice().contains("full")));
        IndexProgress paused = daemon.progress();
        assertThat(paused.state()).isEqualTo(IndexProgress.State.PAUSED);
        assertThat(paused.notice()).contains("The disk holding Ocular's data folder").contains("is full (20 MB free)")
                .contains("nothing indexed so far is lost").contains("Free at least 100 MB")
                .contains("resumes by itself");
        Thread.sleep(300); // a batch being written when the space ran out may still land
        long kept = sqlite.countImages(ImageStatus.INDEXED);
        Thread.sleep(1000);
        assertThat(sqlite.countImages(ImageStatus.INDEXED)).as("nothing written while paused").isEqualTo(kept);
        assertThat(kept).isLessThan(240);
        assertIntact(kept);
        daemon.resume(); // the user presses Resume: still no space, still paused
        Thread.sleep(300);
        assertThat(daemon.progress().state()).isEqualTo(IndexProgress.State.PAUSED);

        disk.free.set(5_000 * MB); // space freed
        assertThat(daemon.awaitIdle(WAIT)).isTrue();
        await("the rescan after the pause", () -> sqlite.countImages(ImageStatus.INDEXED) == 240);
        assertThat(daemon.awaitIdle(WAIT)).isTrue();
        assertIntact(240);
        assertThat(sqlite.countImages(ImageStatus.SKIPPED)).isZero();
        IndexProgress after = daemon.progress();
        assertThat(after.notice() == null || !after.notice().contains("full")).as(after.notice()).isTrue();
    }

    /** The catalog, whose batch commits fail like SQLite's on a full or read-only disk while {@code failing}. */
    private static Catalog failingCommits(Catalog real, AtomicBoolean failing, StorageException.Problem problem) {
        return (Catalog) Proxy.newProxyInstance(Catalog.class.getClassLoader(), new Class<?>[]{Catalog.class},
                (proxy, method, args) -> {
                    if (failing.get() && method.getName().equals("commitBatch")) {
                        throw new StorageException(problem, "Cannot write the catalog (injected " + problem + ")", null);
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void aDataFolderTurningReadOnlyPausesIndexingAndWritingResumesWhenItIsWritable() throws Exception {
        Path lib = library(160);
        sqlite = open(tmp.resolve("data/catalog.db"));
        AtomicBoolean failing = new AtomicBoolean();
        Disk disk = new Disk();
        start(failingCommits(sqlite, failing, StorageException.Problem.READ_ONLY), disk,
                new StorageCheck(tmp.resolve("data"), 1 * MB, Duration.ofMillis(100)), 15);
        daemon.addFolder(lib);
        await("some photos indexed", () -> sqlite.countImages(ImageStatus.INDEXED) >= 30);
        disk.writable.set(false); // remounted read-only after an I/O error
        failing.set(true);

        await("the pause", () -> seen(p -> p.state() == IndexProgress.State.PAUSED && p.notice() != null
                && p.notice().contains("read-only")));
        assertThat(daemon.progress().notice()).contains("has become read-only: indexing is paused")
                .contains("nothing indexed so far is lost").contains("resumes by itself");
        long kept = sqlite.countImages(ImageStatus.INDEXED);
        assertIntact(kept);

        failing.set(false);
        disk.writable.set(true);
        await("everything indexed", () -> sqlite.countImages(ImageStatus.INDEXED) == 160);
        assertThat(daemon.awaitIdle(WAIT)).isTrue();
        assertIntact(160);
    }

    @Test
    void withoutAStorageCheckAFailedWriteStillPausesAndResumeRetries() throws Exception {
        Path lib = library(80);
        sqlite = open(tmp.resolve("data/catalog.db"));
        AtomicBoolean failing = new AtomicBoolean(true);
        start(failingCommits(sqlite, failing, StorageException.Problem.FULL), new Disk(), null, 0);
        daemon.addFolder(lib);
        await("the pause", () -> seen(p -> p.state() == IndexProgress.State.PAUSED && p.notice() != null
                && p.notice().contains("full")));
        assertThat(daemon.progress().notice()).contains("Then press Resume");
        assertThat(sqlite.countImages(ImageStatus.INDEXED)).isZero();
        failing.set(false);
        daemon.resume();
        await("everything indexed", () -> sqlite.countImages(ImageStatus.INDEXED) == 80);
        assertThat(daemon.awaitIdle(WAIT)).isTrue();
        assertIntact(80);
    }

    @Test
    void aDriveThatGoesAwayMidScanLosesNothingIsReportedOfflineAndComesBack() throws Exception {
        Path lib = library(150);
        sqlite = open(tmp.resolve("data/catalog.db"));
        Disk disk = new Disk();
        start(sqlite, disk, null, 0);
        daemon.addFolder(lib);
        assertThat(daemon.awaitIdle(WAIT)).isTrue();
        assertIntact(150);
        for (int i = 150; i < 200; i++) { // new photos on the drive, then it is unplugged during the next scan
            TestImages.write(TestImages.seeded(i, 32, 24), "png", lib.resolve("d" + (i % 5)).resolve("p" + i + ".png"));
        }
        disk.drive = lib.toAbsolutePath().normalize();
        disk.listsBeforeUnplug.set(3); // the root and two of its five folders are read, then it is gone
        events.clear();
        daemon.rescan();
        assertThat(daemon.awaitIdle(WAIT)).isTrue();

        assertThat(sqlite.countImages(ImageStatus.INDEXED)).as("nothing deleted").isGreaterThanOrEqualTo(150);
        assertThat(CatalogCheck.check(tmp.resolve("data/catalog.db")).ok()).isTrue();
        assertThat(daemon.offlineFolders()).containsExactly(lib.toAbsolutePath().normalize());
        assertThat(daemon.progress().notice()).contains(lib.toAbsolutePath().normalize() + " is offline")
                .contains("its photos are kept");
        assertThat(FolderScanner.looksOffline(lib, true, disk)).isTrue();

        disk.drive = null; // plugged in again
        events.clear();
        daemon.rescan();
        assertThat(daemon.awaitIdle(WAIT)).isTrue();
        assertThat(daemon.offlineFolders()).isEmpty();
        assertIntact(200);
        assertThat(daemon.progress().notice() == null || !daemon.progress().notice().contains("offline")).isTrue();
    }

    @Test
    void anEmptyMountPointLeftByAnUnpluggedDriveDeletesNothing() throws Exception {
        Path lib = library(60);
        sqlite = open(tmp.resolve("data/catalog.db"));
        Disk disk = new Disk();
        start(sqlite, disk, null, 0);
        daemon.addFolder(lib);
        assertThat(daemon.awaitIdle(WAIT)).isTrue();
        disk.drive = lib.toAbsolutePath().normalize();
        disk.emptyMountPoint = true; // unmounted: the folder is still there, empty
        disk.listsBeforeUnplug.set(0);
        daemon.rescan();
        assertThat(daemon.awaitIdle(WAIT)).isTrue();
        assertIntact(60);
        assertThat(daemon.offlineFolders()).containsExactly(lib.toAbsolutePath().normalize());

        disk.drive = null;
        daemon.rescan();
        assertThat(daemon.awaitIdle(WAIT)).isTrue();
        assertThat(daemon.offlineFolders()).isEmpty();
        assertIntact(60);
    }
}

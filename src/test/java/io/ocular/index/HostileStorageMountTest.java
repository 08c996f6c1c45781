package io.ocular.index;

import io.ocular.embed.BuiltinDescriptor;
import io.ocular.engine.AppPaths;
import io.ocular.engine.Engine;
import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import io.ocular.model.IndexProgress;
import io.ocular.store.CatalogCheck;
import io.ocular.store.SqliteCatalog;
import io.ocular.testing.FakeImageEncoder;
import io.ocular.testing.Mounts;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile storage on real mounts (as root; skipped where mounting is not allowed): a tmpfs that fills up under
 * the catalog, a library folder on a bind mount that is unmounted in the middle of a scan, and a read-only photo
 * folder. The injected versions, which run everywhere, are in {@link HostileStorageTest}. A data folder turning
 * read-only under a running catalog is injected only: a userland {@code mount -o remount,ro} is refused while
 * the catalog is open for writing ("mount point is busy"; the kernel does it after I/O errors); a catalog on a
 * read-only disk at start is {@code FullDiskTest}'s and {@code HostileStorageCliTest}'s.
 */
class HostileStorageMountTest {
    private static final Duration WAIT = Duration.ofMinutes(3);

    @TempDir
    Path tmp;

    private Path photos(Path dir, int from, int to) throws Exception {
        for (int i = from; i < to; i++) {
            TestImages.write(TestImages.seeded(i, 40, 30), "png", dir.resolve("d" + (i % 6)).resolve("p" + i + ".png"));
        }
        return dir;
    }

    private static IndexingDaemon daemon(SqliteCatalog catalog, StorageCheck check, long delayMs,
                                         List<IndexProgress> events) {
        FakeImageEncoder encoder = new FakeImageEncoder();
        encoder.setDelay(Duration.ofMillis(delayMs));
        IndexingDaemon d = new IndexingDaemon(catalog, () -> encoder, new ImageDecoder(),
                IndexingDaemon.Config.defaults().withWorkers(2).withBatchSize(8).withWatching(null)
                        .withStorageCheck(check), List.of());
        d.addListener(events::add);
        return d;
    }

    private static void await(String what, BooleanSupplier c) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (!c.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(end);
            Thread.sleep(20);
        }
    }

    @Test
    @Tag("slow")
    void aTmpfsFillingUpUnderTheCatalogPausesIndexingAndSpaceResumesIt() throws Exception {
        Path lib = photos(tmp.resolve("library"), 0, 1200);
        Path data = tmp.resolve("small-disk");
        Mounts.requireTmpfs(data, "1m");
        List<IndexProgress> events = new CopyOnWriteArrayList<>();
        try (SqliteCatalog catalog = HostileStorageTest.open(data.resolve("catalog.db"));
             IndexingDaemon d = daemon(catalog, new StorageCheck(data, 96 << 10, Duration.ofMillis(200)), 0, events)) {
            d.addFolder(lib);
            await("the pause on a full disk", () -> events.stream().anyMatch(p ->
                    p.state() == IndexProgress.State.PAUSED && p.notice() != null && p.notice().contains("is full")));
            long kept = catalog.countImages(ImageStatus.INDEXED);
            assertThat(kept).isPositive().isLessThan(1200);
            assertThat(CatalogCheck.check(data.resolve("catalog.db")).integrityOk()).isTrue();

            assertThat(Mounts.remount(data, "size=16m")).isTrue(); // space returns
            await("everything indexed", () -> catalog.countImages(ImageStatus.INDEXED) == 1200);
            assertThat(d.awaitIdle(WAIT)).isTrue();
            assertThat(catalog.countEmbeddings("fake-colour-v1")).isEqualTo(1200);
            assertThat(catalog.countImages(ImageStatus.SKIPPED)).isZero();
        } finally {
            Mounts.unmount(data);
        }
    }

    @Test
    @Tag("slow")
    void aLibraryDriveUnmountedMidScanLosesNothingIsOfflineAndComesBack() throws Exception {
        Path backing = photos(tmp.resolve("drive-contents"), 0, 300);
        Path lib = tmp.resolve("media/usb-drive");
        Mounts.requireBind(backing, lib);
        List<IndexProgress> events = new CopyOnWriteArrayList<>();
        try (SqliteCatalog catalog = HostileStorageTest.open(tmp.resolve("data/catalog.db"));
             IndexingDaemon d = daemon(catalog, null, 40, events)) {
            d.addFolder(lib);
            assertThat(d.awaitIdle(WAIT)).isTrue();
            assertThat(catalog.countImages(ImageStatus.INDEXED)).isEqualTo(300);

            photos(backing, 300, 420); // new photos, being indexed slowly when the drive is pulled
            events.clear();
            d.rescan();
            await("indexing of the new photos", () -> events.stream().anyMatch(p -> p.done() > 20));
            assertThat(Mounts.unmount(lib)).isTrue(); // unplugged: the mount point stays, empty
            assertThat(d.awaitIdle(WAIT)).isTrue();
            assertThat(catalog.countImages(ImageStatus.INDEXED)).as("nothing deleted").isGreaterThanOrEqualTo(300);
            for (ImageRecord r : catalog.imagesInFolder(catalog.folders().get(0).id())) {
                assertThat(r.status()).as("%s", r.path()).isEqualTo(ImageStatus.INDEXED);
            }
            events.clear();
            d.rescan(); // a scan while it is away: still nothing deleted, reported offline
            assertThat(d.awaitIdle(WAIT)).isTrue();
            assertThat(catalog.countImages(ImageStatus.INDEXED)).isGreaterThanOrEqualTo(300);
            assertThat(d.offlineFolders()).containsExactly(lib);
            assertThat(d.progress().notice()).contains(lib + " is offline").contains("its photos are kept");

            assertThat(Mounts.run("mount", "--bind", backing.toString(), lib.toString())).isTrue(); // plugged in
            d.rescan();
            assertThat(d.awaitIdle(WAIT)).isTrue();
            assertThat(d.offlineFolders()).isEmpty();
            assertThat(catalog.countImages(ImageStatus.INDEXED)).isEqualTo(420);
            assertThat(CatalogCheck.check(tmp.resolve("data/catalog.db")).ok()).isTrue();
        } finally {
            Mounts.unmount(lib);
        }
    }

    @Test
    void aReadOnlyPhotoFolderIsIndexedAndItsThumbnailsGoToTheDataFolder() throws Exception {
        Path lib = tmp.resolve("read-only-photos");
        Mounts.requireTmpfs(lib, "8m");
        try {
            photos(lib, 0, 30);
            assertThat(Mounts.remount(lib, "ro")).isTrue();
            assertThat(Files.isWritable(lib)).isFalse();
            List<Path> before = listing(lib);
            AppPaths paths = AppPaths.under(tmp.resolve("data"));
            try (Engine engine = Engine.open(paths, null)) {
                engine.indexer().addFolder(lib);
                assertThat(engine.indexer().awaitIdle(WAIT)).isTrue();
                assertThat(engine.catalog().countImages(ImageStatus.INDEXED)).isEqualTo(30);
                assertThat(engine.catalog().countImages(ImageStatus.SKIPPED)).isZero();
                assertThat(engine.activeModel().id()).isEqualTo(BuiltinDescriptor.MODEL_ID);
                for (ImageRecord r : engine.catalog().imagesInFolder(engine.catalog().folders().get(0).id())) {
                    Path thumb = engine.thumbnails().thumbnail(r.path(), r.contentHash());
                    assertThat(thumb).exists().startsWith(paths.thumbnailsDir());
                }
            }
            assertThat(listing(lib)).as("nothing written next to the photos").isEqualTo(before);
        } finally {
            Mounts.unmount(lib);
        }
    }

    private static List<Path> listing(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.sorted().toList();
        }
    }
}

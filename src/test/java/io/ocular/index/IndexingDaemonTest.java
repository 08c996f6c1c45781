package io.ocular.index;

import io.ocular.model.FolderRecord;
import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import io.ocular.model.IndexProgress;
import io.ocular.model.IndexProgress.State;
import io.ocular.model.ModelInfo;
import io.ocular.model.ModelKind;
import io.ocular.model.OcularException;
import io.ocular.model.SkippedFile;
import io.ocular.testing.FakeImageEncoder;
import io.ocular.testing.InMemoryCatalog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class IndexingDaemonTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path lib;

    private final InMemoryCatalog catalog = new InMemoryCatalog();
    private final FakeImageEncoder encoder = new FakeImageEncoder();
    private final AtomicReference<FakeImageEncoder> active = new AtomicReference<>(encoder);
    private final List<IndexProgress> events = new CopyOnWriteArrayList<>();
    private IndexingDaemon daemon;

    private IndexingDaemon start(int workers, int batch, FileAccess files) {
        daemon = new IndexingDaemon(catalog, active::get, new ImageDecoder(files, ImageDecoder.DEFAULT_MAX_PIXELS),
                new ContentHasher(files), new FolderScanner(files), files, Clock.systemUTC(),
                IndexingDaemon.Config.defaults().withWorkers(workers).withBatchSize(batch)
                        .withWatching(null)); // watching: FolderWatchingTest
        daemon.addListener(events::add);
        return daemon;
    }

    private IndexingDaemon start() {
        return start(2, 8, FileAccess.system());
    }

    @AfterEach
    void close() {
        if (daemon != null) {
            daemon.close();
        }
    }

    private List<Path> images(Path dir, int n, int seedBase) throws Exception {
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String ext = i % 3 == 0 ? "png" : "jpg";
            out.add(TestImages.write(TestImages.seeded(seedBase + i, 48, 32), ext,
                    dir.resolve("d" + (i % 4)).resolve("img" + (seedBase + i) + "." + ext)));
        }
        return out;
    }

    private void index() throws InterruptedException {
        assertThat(daemon.awaitIdle(WAIT)).as("daemon went idle").isTrue();
    }

    private long indexed() {
        return catalog.countImages(ImageStatus.INDEXED);
    }

    @Test
    void indexesALibraryInRealBatchesThroughOneWriter() throws Exception {
        List<Path> files = images(lib, 40, 0);
        start(2, 8, FileAccess.system()).addFolder(lib);
        index();
        assertThat(indexed()).isEqualTo(40);
        assertThat(catalog.countEmbeddings(encoder.modelId())).isEqualTo(40);
        assertThat(encoder.batchSizes()).allMatch(b -> b <= 8);
        assertThat(encoder.batchSizes().stream().mapToInt(Integer::intValue).max().orElse(0)).isGreaterThan(1);
        assertThat(encoder.batchSizes().stream().mapToInt(Integer::intValue).sum()).isEqualTo(40);
        assertThat(catalog.writerThreads()).containsExactly("ocular-index-writer");
        assertThat(catalog.committedBatches()).isLessThan(40); // transactions per batch, not per image

        // the stored vector is the encoder's vector of the decoded image
        Path one = files.get(5);
        ImageRecord rec = catalog.imageByPath(one).orElseThrow();
        assertThat(rec.width()).isEqualTo(48);
        assertThat(rec.height()).isEqualTo(32);
        assertThat(rec.contentHash()).isEqualTo(new ContentHasher().hash(one));
        BufferedImage decoded = new ImageDecoder().decode(one, encoder.preferredShortSide()).image();
        assertThat(catalog.embedding(rec.id(), encoder.modelId()).orElseThrow())
                .containsExactly(FakeImageEncoder.vector(decoded));

        // progress: monotonic done counts within the run, bounded rate, a final DONE
        long prev = -1;
        for (IndexProgress p : events) {
            assertThat(p.done()).isGreaterThanOrEqualTo(prev);
            assertThat(p.done()).isLessThanOrEqualTo(p.total());
            prev = p.done();
        }
        IndexProgress last = events.get(events.size() - 1);
        assertThat(last.state()).isEqualTo(State.DONE);
        assertThat(last.done()).isEqualTo(40);
        assertThat(last.total()).isEqualTo(40);
        assertThat(daemon.progress().state()).isEqualTo(State.DONE);
    }

    @Test
    void badInputIsSkippedWithReasonsAndNotRetriedUntilChanged() throws Exception {
        images(lib, 4, 0);
        Path empty = Files.createFile(lib.resolve("empty.jpg"));
        Files.writeString(lib.resolve("notes.jpg"), "not a photo\n");
        byte[] jpeg = TestImages.jpegBytes(TestImages.seeded(99, 200, 100));
        Files.write(lib.resolve("cut.jpg"), Arrays.copyOf(jpeg, jpeg.length / 2));
        TestImages.pngHeaderOnly(lib.resolve("bomb.png"), 100_000, 100_000);
        start().addFolder(lib);
        index();
        assertThat(indexed()).isEqualTo(4);
        assertThat(catalog.skippedImages(10)).extracting(r -> r.path().getFileName().toString() + ": " + r.skipReason())
                .containsExactlyInAnyOrder("empty.jpg: empty file", "notes.jpg: not an image (content is text)",
                        "cut.jpg: truncated or corrupt image", "bomb.png: image too large (100000 x 100000)");
        IndexProgress last = events.get(events.size() - 1);
        assertThat(last.skipped()).isEqualTo(4);
        assertThat(last.recentSkips()).extracting(SkippedFile::reason).contains("empty file");

        int encodedBefore = encoder.encodedCount();
        daemon.rescan();
        index();
        assertThat(encoder.encodedCount()).isEqualTo(encodedBefore);
        assertThat(catalog.countImages(ImageStatus.SKIPPED)).isEqualTo(4);

        // fixing the file (new size and mtime) makes it eligible again
        TestImages.write(TestImages.seeded(7, 40, 40), "jpg", empty);
        daemon.rescan();
        index();
        assertThat(catalog.imageByPath(empty).orElseThrow().status()).isEqualTo(ImageStatus.INDEXED);
        assertThat(encoder.encodedCount()).isEqualTo(encodedBefore + 1);
    }

    @Test
    void incrementalMoveDeleteAndChange() throws Exception {
        List<Path> files = images(lib, 12, 0);
        start().addFolder(lib);
        index();
        int encoded = encoder.encodedCount();
        assertThat(encoded).isEqualTo(12);

        // nothing changed: nothing re-embedded
        daemon.rescan();
        index();
        assertThat(encoder.encodedCount()).isEqualTo(encoded);
        assertThat(events.get(events.size() - 1).done()).isEqualTo(12);

        // move + rename: same id, no re-embedding
        Path from = files.get(1);
        long id = catalog.imageByPath(from).orElseThrow().id();
        float[] vector = catalog.embedding(id, encoder.modelId()).orElseThrow();
        Path to = lib.resolve("elsewhere/renamed.jpg");
        Files.createDirectories(to.getParent());
        Files.move(from, to);
        // deletion
        Path deleted = files.get(2);
        long deletedId = catalog.imageByPath(deleted).orElseThrow().id();
        Files.delete(deleted);
        // change in place (new content, new mtime)
        Path changed = files.get(3);
        long changedId = catalog.imageByPath(changed).orElseThrow().id();
        float[] oldVector = catalog.embedding(changedId, encoder.modelId()).orElseThrow();
        TestImages.write(TestImages.seeded(500, 48, 32), "png", changed);
        Files.setLastModifiedTime(changed, FileTime.fromMillis(Files.getLastModifiedTime(changed).toMillis() + 5000));

        daemon.rescan();
        index();
        assertThat(encoder.encodedCount()).isEqualTo(encoded + 1); // only the changed file
        assertThat(catalog.imageByPath(from)).isEmpty();
        ImageRecord moved = catalog.imageByPath(to).orElseThrow();
        assertThat(moved.id()).isEqualTo(id);
        assertThat(catalog.embedding(id, encoder.modelId()).orElseThrow()).containsExactly(vector);
        assertThat(catalog.image(deletedId)).isEmpty();
        assertThat(catalog.imageByPath(changed).orElseThrow().id()).isEqualTo(changedId);
        assertThat(catalog.embedding(changedId, encoder.modelId()).orElseThrow()).isNotEqualTo(oldVector);
        assertThat(indexed()).isEqualTo(11);
        assertThat(catalog.countEmbeddings(encoder.modelId())).isEqualTo(11);
    }

    @Test
    void aCopyIsNotAMove() throws Exception {
        List<Path> files = images(lib, 3, 0);
        start().addFolder(lib);
        index();
        Files.copy(files.get(0), lib.resolve("copy.jpg"));
        daemon.rescan();
        index();
        assertThat(indexed()).isEqualTo(4);
        assertThat(catalog.imageByPath(files.get(0))).isPresent();
        assertThat(encoder.encodedCount()).isEqualTo(4);
    }

    @Test
    void pauseStopsWorkAndResumeFinishesIt() throws Exception {
        images(lib, 20, 0);
        start();
        daemon.pause();
        daemon.addFolder(lib);
        assertThat(daemon.awaitIdle(Duration.ofMillis(500))).isFalse();
        assertThat(encoder.encodedCount()).isZero();
        assertThat(daemon.progress().state()).isEqualTo(State.PAUSED);
        daemon.resume();
        index();
        assertThat(indexed()).isEqualTo(20);
    }

    @Test
    void cancelKeepsFinishedWorkAndTheNextRunDoesNotRedoIt() throws Exception {
        images(lib, 40, 0);
        start(1, 4, FileAccess.system());
        encoder.hold();
        daemon.addFolder(lib);
        assertThat(encoder.awaitFirstCall(WAIT)).isTrue(); // one batch is being embedded
        daemon.cancel();
        encoder.release();
        index();
        long kept = indexed();
        assertThat(kept).isGreaterThanOrEqualTo(1).isLessThan(40);
        assertThat(events.get(events.size() - 1).state()).isEqualTo(State.IDLE);

        daemon.rescan();
        index();
        assertThat(indexed()).isEqualTo(40);
        assertThat(encoder.encodedCount()).isEqualTo(40); // nothing finished was redone
    }

    @Test
    void modelChangeReEmbedsInTheBackground() throws Exception {
        images(lib, 6, 0);
        start().addFolder(lib);
        index();
        FakeImageEncoder other = new FakeImageEncoder("fake-other", 16);
        active.set(other);
        daemon.rescan();
        index();
        assertThat(other.encodedCount()).isEqualTo(6);
        assertThat(catalog.countEmbeddings("fake-other")).isEqualTo(6);
        assertThat(catalog.countEmbeddings(encoder.modelId())).isEqualTo(6);
        assertThat(catalog.model("fake-other")).isPresent();
    }

    @Test
    void brokenModelFailsTheRunAndMarksNoFile() throws Exception {
        images(lib, 5, 0);
        encoder.setBroken(true);
        start().addFolder(lib);
        index();
        assertThat(daemon.progress().state()).isEqualTo(State.FAILED);
        assertThat(catalog.countImages(ImageStatus.SKIPPED)).isZero();
        assertThat(daemon.progress().recentSkips()).extracting(SkippedFile::reason)
                .anyMatch(r -> r.contains("the image model failed"));
        encoder.setBroken(false);
        daemon.rescan();
        index();
        assertThat(indexed()).isEqualTo(5);
    }

    @Test
    void folderAddedTwiceOrNestedAddsNothingNew() throws Exception {
        images(lib, 8, 0);
        start().addFolder(lib);
        daemon.addFolder(lib);
        index();
        daemon.addFolder(lib.resolve("d1"));
        index();
        assertThat(catalog.folders()).extracting(FolderRecord::path).containsExactly(lib);
        assertThat(encoder.encodedCount()).isEqualTo(8);
    }

    @Test
    void addingAParentAbsorbsTheChildFolderWithoutReEmbedding() throws Exception {
        images(lib, 8, 0);
        Path child = lib.resolve("d1");
        start().addFolder(child);
        index();
        assertThat(indexed()).isEqualTo(2);
        long childImageId = catalog.imagesInFolder(catalog.folders().get(0).id()).get(0).id();
        daemon.addFolder(lib);
        index();
        assertThat(catalog.folders()).extracting(FolderRecord::path).containsExactly(lib);
        assertThat(indexed()).isEqualTo(8);
        assertThat(encoder.encodedCount()).isEqualTo(8);
        assertThat(catalog.image(childImageId).orElseThrow().folderId()).isEqualTo(catalog.folders().get(0).id());
    }

    @Test
    void removeFolderForgetsItsImages() throws Exception {
        images(lib, 4, 0);
        start().addFolder(lib);
        index();
        daemon.removeFolder(lib);
        index();
        assertThat(catalog.folders()).isEmpty();
        assertThat(catalog.countImages(ImageStatus.INDEXED)).isZero();
        assertThat(Files.list(lib.resolve("d0")).count()).isPositive(); // files untouched
    }

    @Test
    void unreadableSubfolderIsReportedAndItsCatalogEntriesAreKept() throws Exception {
        images(lib, 8, 0);
        FaultyFileAccess files = new FaultyFileAccess();
        start(2, 8, files).addFolder(lib);
        index();
        assertThat(indexed()).isEqualTo(8);
        files.deny(lib.resolve("d2"));
        daemon.rescan();
        index();
        assertThat(indexed()).isEqualTo(8); // not mistaken for deleted
        assertThat(events.get(events.size() - 1).recentSkips()).extracting(SkippedFile::reason)
                .containsExactly("folder unreadable: permission denied");
    }

    @Test
    void unreadableFileIsSkippedWithReason() throws Exception {
        List<Path> imgs = images(lib, 3, 0);
        start(2, 8, new FaultyFileAccess().deny(imgs.get(0))).addFolder(lib);
        index();
        assertThat(catalog.imageByPath(imgs.get(0)).orElseThrow().skipReason()).isEqualTo("unreadable: permission denied");
        assertThat(indexed()).isEqualTo(2);
    }

    @Test
    void disconnectedLibraryLosesNothing() throws Exception {
        Path root = lib.resolve("drive");
        images(root, 5, 0);
        start().addFolder(root);
        index();
        Files.move(root, lib.resolve("unplugged"));
        daemon.rescan();
        index();
        assertThat(indexed()).isEqualTo(5);
    }

    @Test
    void symlinkLoopsAndNonAsciiNamesInALibrary() throws Exception {
        assumeTrue(TestImages.nonAsciiPathsSupported(), "file names need a UTF-8 locale");
        images(lib, 3, 0);
        Path foreign = TestImages.write(TestImages.seeded(42, 40, 30), "jpg", lib.resolve("Фото/été 日本.jpg"));
        Files.createSymbolicLink(lib.resolve("Фото/loop"), lib);
        start().addFolder(lib);
        index();
        assertThat(indexed()).isEqualTo(4);
        assertThat(catalog.imageByPath(foreign)).isPresent();
        assertThat(events.get(events.size() - 1).recentSkips()).extracting(SkippedFile::reason)
                .anyMatch(r -> r.contains("loop"));
    }

    @Test
    void fileDeletedBetweenScanAndDecodeLeavesNoRecord() throws Exception {
        images(lib, 6, 0);
        Path victim = lib.resolve("d0/img0.png");
        start(1, 2, FileAccess.system());
        encoder.hold();
        daemon.addFolder(lib);
        assertThat(encoder.awaitFirstCall(WAIT)).isTrue();
        // the scan is over (6 files fit in the queue); the worker has not reached all files yet
        Files.deleteIfExists(victim);
        encoder.release();
        index();
        assertThat(catalog.imageByPath(victim).filter(r -> r.status() == ImageStatus.SKIPPED)).isEmpty();
        daemon.rescan();
        index();
        assertThat(catalog.imageByPath(victim)).isEmpty();
        assertThat(indexed()).isEqualTo(5);
    }

    @Test
    void modelSwitchesAndSettingsAreWrittenByTheWriterThreadOnly() throws Exception {
        start();
        ModelInfo next = new ModelInfo("other-v2", "Other", ModelKind.IMAGE, 8, "");
        daemon.activateModel(next);
        daemon.putSetting("k", "v");
        assertThat(catalog.activeModelId()).contains("other-v2");
        assertThat(catalog.model("other-v2")).contains(next);
        assertThat(catalog.setting("k")).contains("v");
        assertThat(catalog.writerThreads()).containsExactly("ocular-index-writer");
        daemon.close();
        assertThatThrownBy(() -> daemon.activateModel(next)).isInstanceOf(OcularException.class)
                .hasMessageContaining("shut down");
    }

    @Test
    void aMissingLibraryFolderIsReportedOfflineAndLosesNothing() throws Exception {
        images(lib.resolve("usb"), 4, 0);
        start().addFolder(lib.resolve("usb"));
        index();
        assertThat(indexed()).isEqualTo(4);
        Files.move(lib.resolve("usb"), lib.resolve("elsewhere"));
        daemon.rescan();
        index();
        assertThat(indexed()).as("nothing deleted").isEqualTo(4);
        IndexProgress last = events.get(events.size() - 1);
        assertThat(last.notice()).contains("offline");
        assertThat(last.recentSkips()).extracting(SkippedFile::path).contains(lib.resolve("usb"));
    }
}

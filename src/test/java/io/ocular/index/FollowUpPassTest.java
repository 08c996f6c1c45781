package io.ocular.index;

import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import io.ocular.model.IndexProgress;
import io.ocular.model.OcularException;
import io.ocular.model.SkippedFile;
import io.ocular.store.SqliteCatalog;
import io.ocular.testing.FakeImageEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** Follow-up passes (derived per-image data) in the daemon, against the real SQLite catalog. */
class FollowUpPassTest {

    @TempDir
    Path dir;

    /** Records what the daemon asks of it; its blob is the file name. */
    static final class RecordingPass implements FollowUpPass {
        volatile boolean enabled = true;
        volatile int minImages = 1;
        volatile RuntimeException prepareFailure;
        final List<List<Long>> prepared = new CopyOnWriteArrayList<>();
        final List<Long> computed = new CopyOnWriteArrayList<>();
        volatile String threadName;

        @Override
        public String kind() {
            return "test-v1";
        }

        @Override
        public boolean enabled() {
            return enabled;
        }

        @Override
        public Optional<Preparation> prepare(List<ImageRecord> pending) {
            if (prepareFailure != null) {
                throw prepareFailure;
            }
            prepared.add(pending.stream().map(ImageRecord::id).toList());
            if (pending.size() < minImages) {
                return Optional.empty();
            }
            return Optional.of(new Preparation(Map.of("test.fitted", Integer.toString(pending.size())), false));
        }

        @Override
        public byte[] compute(ImageRecord image) {
            threadName = Thread.currentThread().getName();
            computed.add(image.id());
            if (image.path().getFileName().toString().startsWith("bad")) {
                throw new IllegalStateException("cannot");
            }
            return image.path().getFileName().toString().getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public Map<String, String> summary(int images, long bytes, Duration took) {
            return Map.of("test.summary", images + " images, " + bytes + " bytes");
        }
    }

    private static List<Path> images(Path folder, int n) throws Exception {
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(TestImages.write(TestImages.seeded(i, 40, 30), "png", folder.resolve("img" + i + ".png")));
        }
        return out;
    }

    @Test
    void computesDataOfEveryIndexedImageOnceThroughTheWriter() throws Exception {
        Path lib = dir.resolve("lib");
        List<Path> files = images(lib, 5);
        Files.writeString(lib.resolve("broken.png"), "not an image");
        RecordingPass pass = new RecordingPass();
        try (SqliteCatalog catalog = SqliteCatalog.open(dir.resolve("c.db"));
             IndexingDaemon daemon = new IndexingDaemon(catalog, FakeImageEncoder::new, new ImageDecoder(),
                     IndexingDaemon.Config.defaults().withWorkers(2).withBatchSize(2), List.of(pass))) {
            daemon.addFolder(lib);
            assertThat(daemon.awaitIdle(Duration.ofMinutes(1))).isTrue();
            assertThat(daemon.progress().state()).isEqualTo(IndexProgress.State.DONE);
            assertThat(catalog.countImages(ImageStatus.INDEXED)).isEqualTo(5);
            assertThat(catalog.countImageData("test-v1")).isEqualTo(5); // the skipped file gets none
            assertThat(pass.prepared).hasSize(1);
            assertThat(pass.prepared.get(0)).hasSize(5);
            assertThat(pass.threadName).isEqualTo("ocular-index-scheduler");
            long id0 = catalog.imageByPath(files.get(0)).orElseThrow().id();
            assertThat(new String(catalog.imageData(id0, "test-v1").orElseThrow(), StandardCharsets.UTF_8))
                    .isEqualTo("img0.png");
            assertThat(catalog.setting("test.fitted")).contains("5");
            assertThat(catalog.setting("test.summary")).contains("5 images, 40 bytes");
            assertThat(catalog.imagesWithoutImageData("test-v1")).isEmpty();

            // nothing new: the next run computes nothing and does not prepare again
            daemon.rescan();
            assertThat(daemon.awaitIdle(Duration.ofMinutes(1))).isTrue();
            assertThat(pass.computed).hasSize(5);
            assertThat(pass.prepared).hasSize(1);

            // a new image gets its data; a changed image loses its old data and is computed again
            TestImages.write(TestImages.seeded(50, 40, 30), "png", lib.resolve("img9.png"));
            TestImages.write(TestImages.seeded(51, 40, 30), "png", files.get(1));
            Files.setLastModifiedTime(files.get(1), java.nio.file.attribute.FileTime.fromMillis(
                    Files.getLastModifiedTime(files.get(1)).toMillis() + 5000));
            daemon.rescan();
            assertThat(daemon.awaitIdle(Duration.ofMinutes(1))).isTrue();
            assertThat(pass.computed).hasSize(7);
            assertThat(catalog.countImageData("test-v1")).isEqualTo(6);
        }
    }

    @Test
    void aDisabledOrUnreadyPassWritesNothingAndAFailingOneDoesNotFailTheRun() throws Exception {
        Path lib = dir.resolve("lib");
        images(lib, 3);
        TestImages.write(TestImages.seeded(9, 40, 30), "png", lib.resolve("bad.png"));
        RecordingPass pass = new RecordingPass();
        pass.enabled = false;
        try (SqliteCatalog catalog = SqliteCatalog.open(dir.resolve("c.db"));
             IndexingDaemon daemon = new IndexingDaemon(catalog, FakeImageEncoder::new, new ImageDecoder(),
                     IndexingDaemon.Config.defaults().withWorkers(1), List.of(pass))) {
            daemon.addFolder(lib);
            assertThat(daemon.awaitIdle(Duration.ofMinutes(1))).isTrue();
            assertThat(pass.prepared).isEmpty();
            assertThat(catalog.countImageData("test-v1")).isZero();

            pass.enabled = true;
            pass.minImages = 10; // too few images to get ready
            daemon.runFollowUpPasses();
            assertThat(daemon.awaitIdle(Duration.ofMinutes(1))).isTrue();
            assertThat(pass.prepared).hasSize(1);
            assertThat(pass.computed).isEmpty();
            assertThat(catalog.setting("test.fitted")).isEmpty();

            pass.prepareFailure = new OcularException("the pass needs its model");
            daemon.runFollowUpPasses();
            assertThat(daemon.awaitIdle(Duration.ofMinutes(1))).isTrue();
            IndexProgress p = daemon.progress();
            assertThat(p.state()).isEqualTo(IndexProgress.State.DONE);
            assertThat(p.recentSkips()).extracting(SkippedFile::reason).contains("the pass needs its model");

            pass.prepareFailure = null;
            pass.minImages = 1;
            daemon.runFollowUpPasses();
            assertThat(daemon.awaitIdle(Duration.ofMinutes(1))).isTrue();
            // bad.png throws: no data, retried by the next run; the others are stored
            assertThat(catalog.countImageData("test-v1")).isEqualTo(3);
            assertThat(catalog.imagesWithoutImageData("test-v1")).hasSize(1);
            daemon.putSetting("user.choice", "on");
            assertThat(catalog.setting("user.choice")).contains("on");
        }
    }
}

package io.ocular.index;

import io.ocular.embed.ImageEncoder;
import io.ocular.model.ImageRecord;
import io.ocular.store.SqliteCatalog;
import io.ocular.testing.FakeImageEncoder;
import io.ocular.testing.MediaTools;
import io.ocular.testing.VideoFixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A video's moments keep their frames at working size (decision 0140), so a model switch re-embeds them without
 * running ffmpeg over the video again; a missing or too small frame sends the video back to ffmpeg, and the frames
 * go with the video. ffmpeg and ffprobe are run through wrapper scripts that count their runs.
 */
class VideoFrameReuseTest {
    @TempDir
    Path tmp;

    private Path lib;
    private Path runs;
    private SqliteCatalog catalog;
    private final FakeImageEncoder first = new FakeImageEncoder();
    private final AtomicReference<ImageEncoder> active = new AtomicReference<>(first);
    private IndexingDaemon daemon;

    @BeforeEach
    void setUp() throws Exception {
        Path ffmpeg = MediaTools.require("ffmpeg");
        Path ffprobe = MediaTools.require("ffprobe");
        lib = Files.createDirectories(tmp.resolve("lib"));
        runs = tmp.resolve("runs.log");
        Files.createFile(runs);
        VideoFrames counted = new VideoFrames(counting(ffmpeg), counting(ffprobe), VideoFrames.Config.DEFAULT);
        catalog = SqliteCatalog.open(tmp.resolve("data/catalog.db"));
        FileAccess files = FileAccess.system();
        daemon = new IndexingDaemon(catalog, active::get, new ImageDecoder(), new ContentHasher(files),
                new FolderScanner(files), files, Clock.systemUTC(),
                IndexingDaemon.Config.defaults().withWorkers(1).withBatchSize(4).withWatching(null), List.of(),
                counted);
    }

    @AfterEach
    void tearDown() {
        if (daemon != null) { // null when setUp skipped the test (no ffmpeg)
            daemon.close();
        }
        if (catalog != null) {
            catalog.close();
        }
    }

    /** A script that logs its tool's name to {@link #runs} and runs the tool. */
    private Path counting(Path tool) throws Exception {
        Path script = tmp.resolve("bin").resolve(tool.getFileName().toString());
        Files.createDirectories(script.getParent());
        Files.writeString(script, "#!/bin/sh\necho " + tool.getFileName() + " >> '" + runs + "'\nexec '" + tool
                + "' \"$@\"\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    private long toolRuns() throws Exception {
        return Files.readAllLines(runs).size();
    }

    private void index() throws InterruptedException {
        daemon.rescan();
        assertThat(daemon.awaitIdle(Duration.ofSeconds(120))).isTrue();
    }

    /** Three scenes of 4 s each (red, green, blue), 320x240. */
    private Path rgbClip(Path out) throws Exception {
        Path frames = Files.createDirectories(tmp.resolve("frames"));
        List<Path> photos = List.of(
                TestImages.write(TestImages.solid(64, 48, Color.RED), "png", frames.resolve("r.png")),
                TestImages.write(TestImages.solid(64, 48, Color.GREEN), "png", frames.resolve("g.png")),
                TestImages.write(TestImages.solid(64, 48, Color.BLUE), "png", frames.resolve("b.png")));
        return VideoFixtures.slideshow(out, 4, 320, 240, photos);
    }

    @Test
    void aModelSwitchEmbedsTheKeptFramesWithoutFfmpeg() throws Exception {
        TestImages.write(TestImages.seeded(1, 80, 60), "jpg", lib.resolve("photo.jpg")); // the folder stays non-empty
        Path clip = rgbClip(lib.resolve("clip.mp4"));
        daemon.addFolder(lib);
        assertThat(daemon.awaitIdle(Duration.ofSeconds(120))).isTrue();
        ImageRecord video = catalog.imageByPath(clip).orElseThrow();
        List<ImageRecord> moments = catalog.moments(video.id());
        assertThat(moments).hasSize(3);
        assertThat(catalog.countImageData(MomentFrames.KIND)).isEqualTo(3);
        long ranBefore = toolRuns();
        assertThat(ranBefore).isPositive();

        FakeImageEncoder second = new FakeImageEncoder("fake-second", 16);
        active.set(second);
        index();

        assertThat(toolRuns()).as("ffmpeg/ffprobe runs").isEqualTo(ranBefore);
        assertThat(second.encodedCount()).isEqualTo(4); // the photo and the three kept frames
        // the same moments (rows and times), now with both models' vectors
        assertThat(catalog.moments(video.id())).isEqualTo(moments);
        for (ImageRecord m : moments) {
            assertThat(catalog.embedding(m.id(), "fake-second")).isPresent();
            assertThat(catalog.embedding(m.id(), first.modelId())).isPresent();
        }
        // what was embedded is the video's picture: the red moment's vector is red's
        float[] red = second.encode(List.of(TestImages.solid(32, 32, Color.RED)))[0];
        assertThat(dot(red, catalog.embedding(moments.get(0).id(), "fake-second").orElseThrow())).isGreaterThan(0.99f);

        // deleted with the video
        Files.delete(clip);
        index();
        assertThat(catalog.moments(video.id())).isEmpty();
        assertThat(catalog.countImageData(MomentFrames.KIND)).isZero();
    }

    @Test
    void missingOrTooSmallFramesSendTheVideoBackToFfmpeg() throws Exception {
        Path clip = rgbClip(lib.resolve("clip.mp4"));
        daemon.addFolder(lib);
        assertThat(daemon.awaitIdle(Duration.ofSeconds(120))).isTrue();
        long ranBefore = toolRuns();

        // frames kept at 32 pixels cannot serve a model that works at 224 (the video has 240)
        FakeImageEncoder larger = new FakeImageEncoder("fake-larger", 224);
        active.set(larger);
        index();
        assertThat(toolRuns()).isGreaterThan(ranBefore);
        ImageRecord video = catalog.imageByPath(clip).orElseThrow();
        List<ImageRecord> moments = catalog.moments(video.id());
        assertThat(moments).hasSize(3)
                .allSatisfy(m -> assertThat(catalog.embedding(m.id(), "fake-larger")).isPresent());
        assertThat(catalog.countImageData(MomentFrames.KIND)).isEqualTo(3); // kept again, at the new size

        // frames lost: ffmpeg again, and they are kept again
        catalog.deleteImageData(MomentFrames.KIND);
        long ranAgain = toolRuns();
        active.set(new FakeImageEncoder("fake-third", 16));
        index();
        assertThat(toolRuns()).isGreaterThan(ranAgain);
        assertThat(catalog.moments(video.id())).hasSize(3)
                .allSatisfy(m -> assertThat(catalog.embedding(m.id(), "fake-third")).isPresent());
        assertThat(catalog.countImageData(MomentFrames.KIND)).isEqualTo(3);
    }

    private static float dot(float[] a, float[] b) {
        float s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}

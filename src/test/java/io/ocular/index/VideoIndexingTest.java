package io.ocular.index;

import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import io.ocular.store.SqliteCatalog;
import io.ocular.testing.FakeImageEncoder;
import io.ocular.testing.MediaTools;
import io.ocular.testing.VideoFixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Videos in a library folder are indexed by the daemon as moments (decision 0140): new, unchanged, moved and
 * deleted like photos; bad videos (empty, corrupt, sound only, ffmpeg missing) are recorded with a reason and
 * affect nothing else; a four-hour video is sampled by seeking, capped. Videos are made with ffmpeg at test time.
 */
class VideoIndexingTest {
    @TempDir
    Path tmp;

    private Path lib;
    private SqliteCatalog catalog;
    private final FakeImageEncoder encoder = new FakeImageEncoder();
    private IndexingDaemon daemon;

    @BeforeEach
    void setUp() throws Exception {
        MediaTools.require("ffmpeg");
        MediaTools.require("ffprobe");
        lib = Files.createDirectories(tmp.resolve("lib"));
        catalog = SqliteCatalog.open(tmp.resolve("data/catalog.db"));
    }

    @AfterEach
    void tearDown() {
        if (daemon != null) {
            daemon.close();
        }
        if (catalog != null) { // null when setUp skipped the test (no ffmpeg)
            catalog.close();
        }
    }

    private void start(VideoFrames videos) {
        if (daemon != null) {
            daemon.close();
        }
        FileAccess files = FileAccess.system();
        daemon = new IndexingDaemon(catalog, () -> encoder, new ImageDecoder(), new ContentHasher(files),
                new FolderScanner(files), files, Clock.systemUTC(),
                IndexingDaemon.Config.defaults().withWorkers(1).withBatchSize(4).withWatching(null), List.of(), videos);
    }

    private void index() throws InterruptedException {
        daemon.rescan();
        assertThat(daemon.awaitIdle(Duration.ofSeconds(120))).isTrue();
    }

    private ImageRecord record(String name) {
        return catalog.imageByPath(lib.resolve(name)).orElseThrow(() -> new AssertionError("not catalogued: " + name));
    }

    /** Three scenes of 4 s each (red, green, blue). */
    private Path rgbClip(Path out) throws Exception {
        Path frames = Files.createDirectories(tmp.resolve("frames"));
        List<Path> photos = List.of(
                TestImages.write(TestImages.solid(64, 48, Color.RED), "png", frames.resolve("r.png")),
                TestImages.write(TestImages.solid(64, 48, Color.GREEN), "png", frames.resolve("g.png")),
                TestImages.write(TestImages.solid(64, 48, Color.BLUE), "png", frames.resolve("b.png")));
        return VideoFixtures.slideshow(out, 4, 320, 240, photos);
    }

    @Test
    void videosBecomeMomentsAndFollowTheirFilesLikePhotos() throws Exception {
        TestImages.write(TestImages.seeded(1, 80, 60), "jpg", lib.resolve("photo.jpg"));
        rgbClip(lib.resolve("clip.mp4"));
        start(VideoFrames.system(VideoFrames.Config.DEFAULT));
        daemon.addFolder(lib);
        assertThat(daemon.awaitIdle(Duration.ofSeconds(120))).isTrue();

        ImageRecord clip = record("clip.mp4");
        assertThat(clip.status()).isEqualTo(ImageStatus.INDEXED);
        assertThat(clip.durationMs()).isBetween(11_500L, 12_500L);
        assertThat(clip.width()).isEqualTo(320);
        List<ImageRecord> moments = catalog.moments(clip.id());
        assertThat(moments).extracting(ImageRecord::frameMs).hasSize(3)
                .satisfies(t -> assertThat(t.get(0)).isBetween(0L, 1000L))
                .satisfies(t -> assertThat(t.get(1)).isBetween(4000L, 5000L))
                .satisfies(t -> assertThat(t.get(2)).isBetween(8000L, 9000L));
        assertThat(record("photo.jpg").status()).isEqualTo(ImageStatus.INDEXED);
        assertThat(catalog.countEmbeddings(encoder.modelId())).isEqualTo(4); // the photo and three moments
        // the red moment's vector is red's: the frames embedded are the video's pictures
        float[] red = encoder.encode(List.of(TestImages.solid(32, 32, Color.RED)))[0];
        float[] first = catalog.embedding(moments.get(0).id(), encoder.modelId()).orElseThrow();
        assertThat(dot(red, first)).isGreaterThan(0.99f);

        // unchanged: nothing is decoded or embedded again
        int encodedBefore = encoder.encodedCount();
        index();
        assertThat(encoder.encodedCount()).isEqualTo(encodedBefore);
        assertThat(catalog.moments(clip.id())).isEqualTo(moments);

        // moved: the same video with its moments and vectors
        Path moved = Files.createDirectories(lib.resolve("2024")).resolve("holiday.mp4");
        Files.move(lib.resolve("clip.mp4"), moved);
        index();
        assertThat(catalog.imageByPath(moved).orElseThrow().id()).isEqualTo(clip.id());
        assertThat(catalog.moments(clip.id())).extracting(ImageRecord::path).containsOnly(moved);
        assertThat(encoder.encodedCount()).isEqualTo(encodedBefore);

        // deleted: the video and its moments go
        Files.delete(moved);
        index();
        assertThat(catalog.imageByPath(moved)).isEmpty();
        assertThat(catalog.moments(clip.id())).isEmpty();
        assertThat(catalog.countEmbeddings(encoder.modelId())).isEqualTo(1);
    }

    @Test
    void badVideosAreSkippedWithAReasonAndAffectNothingElse() throws Exception {
        TestImages.write(TestImages.seeded(2, 80, 60), "jpg", lib.resolve("photo.jpg"));
        Files.write(lib.resolve("empty.mp4"), new byte[0]);
        byte[] noise = new byte[40_000];
        new Random(3).nextBytes(noise);
        Files.write(lib.resolve("corrupt.mov"), noise);
        VideoFixtures.audioOnly(lib.resolve("voice-memo.mp4"));
        // four hours at one frame per second: sampled by seeking, capped, never decoded whole
        VideoFixtures.testPattern(lib.resolve("four-hours.mkv"), 4 * 3600, "64x64", 1);
        rgbClip(lib.resolve("clip.mp4"));
        start(VideoFrames.system(new VideoFrames.Config(6, 3.0, 600.0, 60)));
        daemon.addFolder(lib);
        assertThat(daemon.awaitIdle(Duration.ofSeconds(180))).isTrue();

        assertThat(record("empty.mp4").skipReason()).isEqualTo("empty file");
        assertThat(record("corrupt.mov").skipReason()).startsWith("corrupt or unsupported video");
        assertThat(record("voice-memo.mp4").skipReason()).isEqualTo("no video stream in this file (audio only?)");
        ImageRecord longVideo = record("four-hours.mkv");
        assertThat(longVideo.status()).isEqualTo(ImageStatus.INDEXED);
        List<ImageRecord> sampled = catalog.moments(longVideo.id());
        assertThat(sampled).hasSize(6);
        assertThat(sampled.get(5).frameMs()).isGreaterThan(3 * 3_600_000L); // reached by seeking
        assertThat(record("photo.jpg").status()).isEqualTo(ImageStatus.INDEXED);
        assertThat(catalog.moments(record("clip.mp4").id())).hasSize(3);
        assertThat(catalog.countImages(ImageStatus.SKIPPED)).isEqualTo(3);
        assertThat(daemon.progress().recentSkips()).extracting(s -> s.path().getFileName().toString())
                .contains("empty.mp4", "corrupt.mov", "voice-memo.mp4");
    }

    @Test
    void withoutFfmpegVideosWaitWithAReasonAndAreIndexedOnceItIsThere() throws Exception {
        TestImages.write(TestImages.seeded(3, 80, 60), "jpg", lib.resolve("photo.jpg"));
        rgbClip(lib.resolve("clip.mp4"));
        start(null); // ffmpeg absent
        daemon.addFolder(lib);
        assertThat(daemon.awaitIdle(Duration.ofSeconds(60))).isTrue();
        assertThat(record("clip.mp4").status()).isEqualTo(ImageStatus.SKIPPED);
        assertThat(record("clip.mp4").skipReason()).isEqualTo(VideoFrames.missingReason()).contains("install ffmpeg");
        assertThat(record("photo.jpg").status()).isEqualTo(ImageStatus.INDEXED);

        start(VideoFrames.system(VideoFrames.Config.DEFAULT)); // installed since
        index();
        assertThat(record("clip.mp4").status()).isEqualTo(ImageStatus.INDEXED);
        assertThat(catalog.moments(record("clip.mp4").id())).hasSize(3);
    }

    private static float dot(float[] a, float[] b) {
        float s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}

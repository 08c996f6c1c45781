package io.ocular.index;

import io.ocular.testing.MediaTools;
import io.ocular.testing.SharedData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Moments of videos made with ffmpeg at test time from shared photos, and bad video input. */
class VideoFramesTest {
    @TempDir
    Path dir;

    private VideoFrames frames;

    @BeforeEach
    void tools() {
        MediaTools.require("ffmpeg");
        MediaTools.require("ffprobe");
        frames = VideoFrames.system(VideoFrames.Config.DEFAULT);
    }

    private static String ffmpeg() {
        return MediaTools.require("ffmpeg").toString();
    }

    /** A slideshow: each photo for {@code seconds}, 640x360, 25 fps, a keyframe every second (phone-like). */
    private Path slideshow(String name, int seconds, String... photos) throws Exception {
        Path images = SharedData.dataset("holidays-dev").resolve("images");
        List<String> cmd = new ArrayList<>(List.of(ffmpeg(), "-loglevel", "error", "-y"));
        StringBuilder graph = new StringBuilder();
        for (int i = 0; i < photos.length; i++) {
            cmd.addAll(List.of("-loop", "1", "-framerate", "25", "-t", Integer.toString(seconds), "-i",
                    images.resolve(photos[i]).toString()));
            graph.append('[').append(i).append(":v]scale=640:360:force_original_aspect_ratio=decrease,")
                    .append("pad=640:360:(ow-iw)/2:(oh-ih)/2,setsar=1[v").append(i).append("];");
        }
        for (int i = 0; i < photos.length; i++) {
            graph.append("[v").append(i).append(']');
        }
        graph.append("concat=n=").append(photos.length).append(":v=1:a=0,format=yuv420p[out]");
        Path out = dir.resolve(name);
        cmd.addAll(List.of("-filter_complex", graph.toString(), "-map", "[out]", "-c:v", "libx264", "-preset",
                "ultrafast", "-g", "25", out.toString()));
        MediaTools.run(cmd);
        return out;
    }

    @Test
    void oneMomentPerSceneWithItsTime() throws Exception {
        Path clip = slideshow("clip.mp4", 5, "100000.jpg", "100100.jpg", "100200.jpg", "100300.jpg");
        List<VideoFrames.Moment> m = frames.moments(clip, 96);
        List<Double> times = new ArrayList<>();
        m.forEach(x -> times.add(x.seconds()));
        assertThat(m).as("times %s", times).hasSize(4);
        for (int i = 0; i < 4; i++) {
            assertThat(m.get(i).seconds()).isBetween(i * 5.0 - 0.01, i * 5.0 + 1.01);
            assertThat(m.get(i).image().getHeight()).isEqualTo(96);
            assertThat(m.get(i).image().getWidth()).isEqualTo(170); // 640x360 at 96 high, even width
        }
        assertThat(new VideoFrames.Moment(42.7, null).label()).isEqualTo("0:42");
        assertThat(new VideoFrames.Moment(3723, null).label()).isEqualTo("1:02:03");
    }

    @Test
    void longVideoIsSampledAtEvenlySpacedPointsAndCapped() throws Exception {
        Path longVideo = dir.resolve("four-hours.mp4");
        // 4 hours at 1 frame per second, 64x64: small to make, as long as a real recording
        MediaTools.run(List.of(ffmpeg(), "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                "testsrc=size=64x64:rate=1", "-t", "14400", "-c:v", "libx264", "-preset", "ultrafast", "-g", "60",
                longVideo.toString()));
        VideoFrames capped = VideoFrames.system(new VideoFrames.Config(4, 3.0, 600.0, 60));
        assertThat(capped.probe(longVideo).durationSeconds()).isGreaterThan(14000);
        List<VideoFrames.Moment> m = capped.moments(longVideo, 32);
        assertThat(m).hasSize(4);
        assertThat(m.get(0).seconds()).isEqualTo(1800.0, org.assertj.core.data.Offset.offset(1.0));
        assertThat(m.get(3).seconds()).isEqualTo(12600.0, org.assertj.core.data.Offset.offset(1.0));
    }

    @Test
    void badVideosAreRejectedWithAReason() throws Exception {
        Path empty = Files.write(dir.resolve("empty.mp4"), new byte[0]);
        assertThatThrownBy(() -> frames.moments(empty, 64)).isInstanceOf(ImageDecodeException.class)
                .hasMessage("empty file");
        byte[] noise = new byte[50_000];
        new Random(1).nextBytes(noise);
        Path corrupt = Files.write(dir.resolve("corrupt.mp4"), noise);
        assertThatThrownBy(() -> frames.moments(corrupt, 64)).isInstanceOf(ImageDecodeException.class)
                .hasMessageStartingWith("corrupt or unsupported video (ffprobe: ");
        Path audio = dir.resolve("voice-memo.mp4");
        MediaTools.run(List.of(ffmpeg(), "-loglevel", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=440:duration=3",
                "-c:a", "aac", audio.toString()));
        assertThatThrownBy(() -> frames.moments(audio, 64)).isInstanceOf(ImageDecodeException.class)
                .hasMessage("no video stream in this file (audio only?)");
        // a clip cut in half: the moments of what is left, or a reason; never an exception of another kind
        Path clip = slideshow("whole.mp4", 3, "100000.jpg", "100100.jpg");
        byte[] all = Files.readAllBytes(clip);
        Path cut = Files.write(dir.resolve("cut.mp4"), Arrays.copyOf(all, all.length / 2));
        try {
            assertThat(frames.moments(cut, 64)).isNotEmpty();
        } catch (ImageDecodeException e) {
            assertThat(e.reason()).startsWith("corrupt");
        }
    }

    @Test
    void shortVideosGetFewerMomentsThanLongOnes() {
        VideoFrames.Config c = VideoFrames.Config.DEFAULT;
        assertThat(c.capFor(12)).isEqualTo(4); // a short clip keeps its few scenes
        assertThat(c.capFor(60)).isEqualTo(8); // a 1-minute clip: at most 8 photos' worth of embedding
        assertThat(c.capFor(300)).isEqualTo(12);
        assertThat(new VideoFrames.Config(6, 3.0, 600.0, 60).capFor(12)).isEqualTo(6);
    }

    @Test
    void pickerKeepsTheFirstFrameAndTheMostDifferentWithinTheCap() {
        VideoFrames.MomentPicker p = new VideoFrames.MomentPicker(3, 3.0);
        int[] greys = {0, 0, 250, 10, 120, 120, 240, 60};
        for (int i = 0; i < greys.length; i++) {
            java.awt.Color c = new java.awt.Color(greys[i], greys[i], greys[i]);
            p.offer(i * 2.0, TestImages.solid(32, 32, c));
        }
        List<Double> times = new ArrayList<>();
        p.picked().forEach(c -> times.add(c.seconds()));
        // t=0 (first); t=2 is too soon; t=4 (grey 250, change 250); t=8 (120 vs 250 = 130), t=12 (240 vs 120 = 120),
        // t=14 too soon: 4 kept beyond the cap of 3 -> the least different (t=12) is dropped
        assertThat(times).containsExactly(0.0, 4.0, 8.0);
    }
}

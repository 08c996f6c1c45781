package io.ocular.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ocular.testing.MediaTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ocular bench video} over clips made with ffmpeg at test time. */
class BenchVideoCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private CliRun cli(String... args) {
        return CliRun.inDataDir(tmp.resolve("data"), args);
    }

    @Test
    void reportsMomentsAndCostPerVideoMinuteAndSkipsBadVideosWithAReason() throws Exception {
        String ffmpeg = MediaTools.require("ffmpeg").toString();
        MediaTools.require("ffprobe");
        Path videos = Files.createDirectories(tmp.resolve("videos"));
        // 12 s: 6 s of one test pattern, then 6 s of another (a scene change at 0:06)
        MediaTools.run(List.of(ffmpeg, "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=320x180:rate=25:duration=6",
                "-f", "lavfi", "-i", "mandelbrot=size=320x180:rate=25", "-filter_complex",
                "[1:v]trim=duration=6,setpts=PTS-STARTPTS[b];[0:v][b]concat=n=2:v=1:a=0,format=yuv420p[v]", "-map", "[v]",
                "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", videos.resolve("a.mp4").toString()));
        MediaTools.run(List.of(ffmpeg, "-loglevel", "error", "-y", "-f", "lavfi", "-i", "sine=duration=2", "-c:a", "aac",
                videos.resolve("b-audio-only.m4v").toString()));
        Files.write(videos.resolve("c-empty.mov"), new byte[0]);
        Files.writeString(videos.resolve("notes.txt"), "not a video");

        CliRun r = cli("bench", "video", videos.toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode o = JSON.readTree(r.out());
        assertThat(o.get("videos")).hasSize(3);
        assertThat(o.at("/videos/0/moments").toString()).contains("0:00").contains("0:06");
        assertThat(o.at("/videos/1/skipped").asText()).isEqualTo("no video stream in this file (audio only?)");
        assertThat(o.at("/videos/2/skipped").asText()).isEqualTo("empty file");
        assertThat(o.get("video_minutes").asDouble()).isBetween(0.19, 0.21);
        assertThat(o.get("s_per_video_minute").asDouble()).isPositive();
        assertThat(o.get("photos_worth_per_video_minute").asDouble()).isPositive();

        CliRun help = cli("bench", "video", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("seconds per video minute").contains("ffmpeg");
        CliRun missing = cli("bench", "video", tmp.resolve("nope").toString());
        assertThat(missing.code()).isNotZero();
        assertThat(missing.err()).contains("Not found");
    }
}

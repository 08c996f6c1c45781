package io.ocular.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ocular.index.RawFixtures;
import io.ocular.testing.MediaTools;
import io.ocular.testing.SharedData;
import io.ocular.testing.VideoFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End to end through the CLI: a folder mixing JPEG, HEIC, AVIF, DNG and an MP4 (all made at test time from the
 * shared photos, nothing committed), with bad videos beside them, is indexed; status counts each kind and the
 * videos; an image query made from a frame of the clip returns that video at the moment (--json gives the
 * time), and the text output says where.
 */
class MixedMediaCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private CliRun cli(String... args) {
        return CliRun.inDataDir(tmp.resolve("data"), args);
    }

    @Test
    void photosAndVideoMomentsAreIndexedCountedAndFound() throws Exception {
        MediaTools.require("heif-enc");
        String ffmpeg = MediaTools.require("ffmpeg").toString();
        MediaTools.require("ffprobe");
        Path images = SharedData.dataset("holidays-dev").resolve("images");
        Path lib = Files.createDirectories(tmp.resolve("library"));
        Files.copy(images.resolve("100000.jpg"), lib.resolve("a.jpg"));
        MediaTools.heifEnc(images.resolve("100100.jpg"), lib.resolve("IMG_0001.HEIC"));
        MediaTools.heifEnc(images.resolve("100200.jpg"), lib.resolve("b.avif"));
        Files.write(lib.resolve("DSC_0002.DNG"),
                RawFixtures.dng(Files.readAllBytes(images.resolve("100300.jpg")), 1, "2020:01:01 12:00:00"));
        // a 12-second clip of three scenes (other photos than the stills), and two bad videos
        VideoFixtures.slideshow(lib.resolve("holiday.mp4"), 4, 640, 360,
                List.of(images.resolve("100500.jpg"), images.resolve("100600.jpg"), images.resolve("100700.jpg")));
        Files.write(lib.resolve("empty.mp4"), new byte[0]);
        VideoFixtures.audioOnly(lib.resolve("voice-memo.mp4"));

        CliRun index = cli("index", lib.toString());
        assertThat(index.code()).as(index.err()).isZero();
        assertThat(index.out()).contains("5 images indexed, 2 skipped");

        CliRun status = cli("status", "--json");
        assertThat(status.code()).as(status.err()).isZero();
        JsonNode s = JSON.readTree(status.out());
        assertThat(s.at("/kinds/JPEG").asLong()).isEqualTo(1);
        assertThat(s.at("/kinds/HEIC").asLong()).isEqualTo(1);
        assertThat(s.at("/kinds/AVIF").asLong()).isEqualTo(1);
        assertThat(s.at("/kinds/RAW").asLong()).isEqualTo(1);
        assertThat(s.at("/kinds/MP4").asLong()).isEqualTo(1);
        assertThat(s.at("/images/photos").asLong()).isEqualTo(4);
        assertThat(s.at("/images/videos").asLong()).isEqualTo(1);
        assertThat(s.at("/images/video_moments").asLong()).isEqualTo(3);
        Map<String, String> reasons = new HashMap<>();
        s.get("skipped").forEach(n -> reasons.put(Path.of(n.get("path").asText()).getFileName().toString(),
                n.get("reason").asText()));
        assertThat(reasons).containsEntry("empty.mp4", "empty file")
                .containsEntry("voice-memo.mp4", "no video stream in this file (audio only?)");
        assertThat(cli("status").out()).contains("Indexed:     1 AVIF, 1 HEIC, 1 JPEG, 1 MP4, 1 RAW  (4 photos, 1 video,"
                + " 3 moments)");

        // a frame from the middle scene (at 0:05) as the query: the video at that scene's moment (0:04)
        Path frame = tmp.resolve("frame.png");
        MediaTools.run(List.of(ffmpeg, "-loglevel", "error", "-y", "-ss", "5", "-i", lib.resolve("holiday.mp4").toString(),
                "-frames:v", "1", frame.toString()));
        CliRun search = cli("search", "--image", frame.toString(), "-k", "3", "--json");
        assertThat(search.code()).as(search.err()).isZero();
        JsonNode top = JSON.readTree(search.out()).at("/hits/0");
        assertThat(top.get("path").asText()).endsWith("holiday.mp4");
        assertThat(top.get("video").asBoolean()).isTrue();
        assertThat(top.get("time_ms").asLong()).isBetween(4000L, 5000L);
        assertThat(top.get("time").asText()).isEqualTo("0:04");
        assertThat(top.get("duration_ms").asLong()).isBetween(11_500L, 12_500L);
        // one result per video: its other scenes do not crowd the list
        List<String> paths = new ArrayList<>();
        JSON.readTree(search.out()).get("hits").forEach(h -> paths.add(h.get("path").asText()));
        assertThat(paths.stream().filter(p -> p.endsWith("holiday.mp4"))).hasSize(1);

        CliRun plain = cli("search", "--image", frame.toString(), "-k", "1");
        assertThat(plain.out()).contains("holiday.mp4  at 0:04");
    }
}

package io.ocular.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Videos made at test time with ffmpeg (never committed): slideshows of photos (each photo one scene, like the
 * moments a phone clip has) and synthetic sources. Callers skip via {@link MediaTools#require} when ffmpeg is
 * missing.
 */
public final class VideoFixtures {
    private VideoFixtures() {
    }

    /**
     * An H.264 MP4 showing each photo for {@code secondsEach}, {@code width x height}, 25 fps, a keyframe every
     * second (phone-like).
     */
    public static Path slideshow(Path out, int secondsEach, int width, int height, List<Path> photos)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(MediaTools.require("ffmpeg").toString(), "-loglevel", "error", "-y"));
        StringBuilder graph = new StringBuilder();
        for (int i = 0; i < photos.size(); i++) {
            cmd.addAll(List.of("-loop", "1", "-framerate", "25", "-t", Integer.toString(secondsEach), "-i",
                    photos.get(i).toString()));
            graph.append(String.format(Locale.ROOT, "[%d:v]scale=%d:%d:force_original_aspect_ratio=decrease,"
                    + "pad=%d:%d:(ow-iw)/2:(oh-ih)/2,setsar=1[v%d];", i, width, height, width, height, i));
        }
        for (int i = 0; i < photos.size(); i++) {
            graph.append("[v").append(i).append(']');
        }
        graph.append("concat=n=").append(photos.size()).append(":v=1:a=0,format=yuv420p[out]");
        cmd.addAll(List.of("-filter_complex", graph.toString(), "-map", "[out]", "-c:v", "libx264", "-preset",
                "ultrafast", "-g", "25", out.toString()));
        MediaTools.run(cmd);
        return out;
    }

    /** {@code seconds} of ffmpeg's test pattern at {@code size} and {@code fps} (a long video in little time). */
    public static Path testPattern(Path out, int seconds, String size, int fps) throws IOException, InterruptedException {
        MediaTools.run(List.of(MediaTools.require("ffmpeg").toString(), "-loglevel", "error", "-y", "-f", "lavfi",
                "-i", "testsrc=size=" + size + ":rate=" + fps, "-t", Integer.toString(seconds), "-c:v", "libx264",
                "-preset", "ultrafast", "-g", Integer.toString(fps * 60), out.toString()));
        return out;
    }

    /** An MP4 with sound only (a voice memo): no video stream. */
    public static Path audioOnly(Path out) throws IOException, InterruptedException {
        MediaTools.run(List.of(MediaTools.require("ffmpeg").toString(), "-loglevel", "error", "-y", "-f", "lavfi",
                "-i", "sine=frequency=440:duration=3", "-c:a", "aac", out.toString()));
        return out;
    }
}

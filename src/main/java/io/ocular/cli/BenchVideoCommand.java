package io.ocular.cli;

import io.ocular.engine.AppPaths;
import io.ocular.engine.Engine;
import io.ocular.embed.ImageEncoder;
import io.ocular.index.ImageDecodeException;
import io.ocular.index.VideoFrames;
import io.ocular.model.OcularException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code ocular bench video}: what indexing videos as moments costs (decision 0140): frames chosen and
 * decoded by ffmpeg, then embedded with the model, per video minute and in photos' worth of embedding time.
 */
@Command(name = "video", mixinStandardHelpOptions = true,
        description = {"Moments of videos (MP4, MOV, MKV) and what picking and embedding them costs: seconds per "
                + "video minute, and the same in photos' worth of embedding time.",
                "Needs ffmpeg and ffprobe on the PATH. Nothing is added to your library."})
final class BenchVideoCommand implements Callable<Integer> {
    static final List<String> EXTENSIONS = List.of(".mp4", ".mov", ".m4v", ".mkv");

    @ParentCommand
    BenchCommand bench;
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "PATH", arity = "1..*", description = "Video files, or folders of videos.")
    List<Path> paths;

    @Option(names = "--model", paramLabel = "ID", description = "Model from your model store (default: the active model of your data folder).")
    String model;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        VideoFrames frames = VideoFrames.system(VideoFrames.Config.DEFAULT);
        if (frames == null) {
            throw new OcularException(VideoFrames.missingReason() + ".");
        }
        List<Path> videos = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(BenchVideoCommand::isVideoName).sorted().forEach(videos::add);
                }
            } else if (Files.exists(p)) {
                videos.add(p);
            } else {
                throw new OcularException("Not found: " + p);
            }
        }
        if (videos.isEmpty()) {
            throw new OcularException("No videos (" + String.join(", ", EXTENSIONS) + ") in " + paths + ".");
        }
        PrintWriter out = spec.commandLine().getOut();
        AppPaths user = bench.root.paths();
        Path tmp = Files.createTempDirectory("ocular-bench-");
        try (Engine ocular = bench.root.opener().open(AppPaths.under(tmp).withModelsDir(user.modelsDir()).createDirectories(),
                model != null ? model : Engine.activeModelId(user).orElse(null))) {
            ImageEncoder encoder = ocular.imageEncoder();
            encoder.encode(List.of(new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB))); // warm-up
            double minutes = 0;
            double decodeS = 0;
            double embedS = 0;
            int moments = 0;
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Path v : videos) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("path", v.toString());
                try {
                    long t0 = System.nanoTime();
                    VideoFrames.Clip clip = frames.clip(v, encoder.preferredShortSide()); // as the indexer reads it
                    VideoFrames.Probe probe = clip.probe();
                    List<VideoFrames.Moment> m = clip.moments();
                    long t1 = System.nanoTime();
                    List<BufferedImage> images = new ArrayList<>();
                    m.forEach(x -> images.add(x.image()));
                    encoder.encode(images);
                    long t2 = System.nanoTime();
                    minutes += probe.durationSeconds() / 60;
                    decodeS += (t1 - t0) / 1e9;
                    embedS += (t2 - t1) / 1e9;
                    moments += m.size();
                    row.put("duration_s", probe.durationSeconds());
                    row.put("codec", probe.codec());
                    row.put("size", probe.width() + "x" + probe.height());
                    row.put("moments", m.stream().map(VideoFrames.Moment::label).toList());
                    row.put("decode_s", (t1 - t0) / 1e9);
                    row.put("embed_s", (t2 - t1) / 1e9);
                } catch (ImageDecodeException e) {
                    row.put("skipped", e.reason());
                }
                rows.add(row);
            }
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("videos", rows);
            o.put("model", ocular.activeModel().id());
            o.put("video_minutes", minutes);
            o.put("moments", moments);
            o.put("decode_s", decodeS);
            o.put("embed_s", embedS);
            if (minutes > 0 && moments > 0) {
                double perPhoto = embedS / moments;
                o.put("s_per_video_minute", (decodeS + embedS) / minutes);
                o.put("photos_worth_per_video_minute", (decodeS + embedS) / perPhoto / minutes);
            }
            o.put("threads", Runtime.getRuntime().availableProcessors());
            if (json) {
                Json.print(out, o);
            } else {
                for (Map<String, Object> r : rows) {
                    out.println(r.get("path") + ": " + (r.containsKey("skipped") ? "skipped: " + r.get("skipped")
                            : r.get("moments") + " (" + String.format(Locale.ROOT, "%.1f s", (Double) r.get("decode_s")) + ")"));
                }
                o.remove("videos");
                BenchCommand.print(out, o, false);
            }
            out.flush();
            return 0;
        } finally {
            TempDirs.deleteRecursively(tmp);
        }
    }

    static boolean isVideoName(Path p) {
        String n = String.valueOf(p.getFileName()).toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(n::endsWith);
    }
}

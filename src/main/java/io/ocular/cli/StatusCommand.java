package io.ocular.cli;

import io.ocular.engine.CodeTraining;
import io.ocular.engine.Engine;
import io.ocular.index.ImageFormats;
import io.ocular.index.FileAccess;
import io.ocular.index.FolderScanner;
import io.ocular.model.FolderRecord;
import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import io.ocular.model.ModelInfo;
import io.ocular.store.Catalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show library folders, image counts (indexed photos and videos by kind: JPEG, HEIC, AVIF, RAW, MP4, MOV, ...), "
                + "skipped files with reasons and the active model.")
final class StatusCommand implements Callable<Integer> {
    @ParentCommand
    OcularCli root;
    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Option(names = "--skipped", paramLabel = "N", defaultValue = "20",
            description = "Show at most N skipped files (default: ${DEFAULT-VALUE}).")
    int skippedLimit;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Engine ocular = root.open(null)) {
            Catalog c = ocular.catalog();
            ModelInfo m = ocular.activeModel();
            List<FolderRecord> folders = c.folders();
            long indexed = c.countImages(ImageStatus.INDEXED);
            long pending = c.countImages(ImageStatus.PENDING);
            long skipped = c.countImages(ImageStatus.SKIPPED);
            long vectors = c.countEmbeddings(m.id());
            List<ImageRecord> skips = c.skippedImages(Math.max(0, skippedLimit));
            Map<String, Long> kinds = c.countIndexedBy(ImageFormats::kindOf);
            Map<String, Long> media = c.countIndexedBy(p -> ImageFormats.isVideoName(String.valueOf(p.getFileName()))
                    ? "videos" : "photos");
            long photos = media.getOrDefault("photos", 0L);
            long videos = media.getOrDefault("videos", 0L);
            if (json) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("data_dir", ocular.paths().dataDir().toString());
                o.put("catalog", c.describeLocation());
                List<Map<String, Object>> fs = new ArrayList<>();
                for (FolderRecord f : folders) {
                    Map<String, Object> folder = ordered("path", f.path().toString(), "images", f.imageCount(),
                            "skipped", f.skippedCount());
                    folder.put("offline", offline(f));
                    fs.add(folder);
                }
                o.put("folders", fs);
                Map<String, Object> images = ordered("indexed", indexed, "pending", pending, "skipped", skipped);
                images.put("photos", photos);
                images.put("videos", videos);
                images.put("video_moments", Math.max(0, vectors - photos));
                o.put("images", images);
                o.put("kinds", kinds);
                Map<String, Object> model = ordered("id", m.id(), "name", m.name(), "dimension", m.dimension(),
                        "vectors", vectors);
                model.put("index", ocular.indexKind());
                model.put("index_detail", ocular.indexDescription());
                ocular.textTowers().ifPresent(t -> model.put("text_model", t.current()));
                o.put("model", model);
                CodeTraining.Status codes = ocular.codeTraining().status();
                if (codes.verdict() != null) {
                    CodeTraining.Verdict v = codes.verdict();
                    Map<String, Object> trained = ordered("kind", "spq", "held_out", v.heldOut(), "spq_mrr", v.spq(),
                            "pq_mrr", v.pq());
                    trained.put("spq_wins", v.spqWins());
                    trained.put("in_use", codes.inUse());
                    o.put("trained_codes", trained);
                }
                List<Map<String, Object>> ss = new ArrayList<>();
                for (ImageRecord r : skips) {
                    ss.add(ordered("path", r.path().toString(), "reason", String.valueOf(r.skipReason())));
                }
                o.put("skipped", ss);
                Json.print(out, o);
                return 0;
            }
            out.println("Data folder: " + ocular.paths().dataDir());
            out.println("Catalog:     " + c.describeLocation());
            out.println("Model:       " + m.id() + " (" + m.name() + ", " + m.dimension() + "-d, " + vectors + " vectors)");
            ocular.textTowers().filter(t -> !t.current().equals(m.id()))
                    .ifPresent(t -> out.println("Words read by: " + t.current()));
            out.println("Search:      " + ocular.indexDescription());
            CodeTraining.Verdict v = ocular.codeTraining().status().verdict();
            if (v != null && !ocular.indexKind().equals("spq")) {
                out.printf(Locale.ROOT, "Trained codes: SPQ %.3f vs PQ %.3f on %d held-out photos: %s%n", v.spq(), v.pq(),
                        v.heldOut(), v.spqWins() ? "SPQ won; used whenever compact codes are" : "PQ kept");
            }
            out.println("Images:      " + indexed + " indexed, " + pending + " pending, " + skipped + " skipped");
            if (!kinds.isEmpty()) {
                StringBuilder k = new StringBuilder();
                kinds.forEach((kind, n) -> k.append(k.length() == 0 ? "" : ", ").append(n).append(' ').append(kind));
                out.println("Indexed:     " + k + (videos == 0 ? "" : "  (" + photos + " photos, " + videos
                        + (videos == 1 ? " video, " : " videos, ") + Math.max(0, vectors - photos) + " moments)"));
            }
            out.println("Folders:" + (folders.isEmpty() ? " none (add one with 'ocular index DIR')" : ""));
            for (FolderRecord f : folders) {
                out.println("  " + f.path() + "  (" + f.imageCount() + " images, " + f.skippedCount() + " skipped)"
                        + (offline(f) ? "  OFFLINE: not reachable (drive disconnected?); its photos are kept" : ""));
            }
            if (!skips.isEmpty()) {
                out.println("Skipped files:");
                for (ImageRecord r : skips) {
                    out.println("  " + r.path() + ": " + r.skipReason());
                }
                if (skipped > skips.size()) {
                    out.println("  ... and " + (skipped - skips.size()) + " more (--skipped N, --json)");
                }
            }
            out.flush();
            return 0;
        }
    }

    static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** Gone, unreadable, or an empty mount point although photos are catalogued there (see FolderScanner). */
    private static boolean offline(FolderRecord f) {
        return FolderScanner.looksOffline(f.path(), f.imageCount() > 0, FileAccess.system());
    }
}

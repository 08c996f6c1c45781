package io.ocular.cli;

import io.ocular.engine.Engine;
import io.ocular.model.OcularException;
import io.ocular.model.Query;
import io.ocular.model.SearchHit;
import io.ocular.model.SearchOptions;
import io.ocular.model.SearchResult;
import io.ocular.model.SearchScope;
import io.ocular.model.Verification;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "search", mixinStandardHelpOptions = true,
        description = {"Search the library by example image, by text, or both (composed query),",
                "optionally refined by relevance feedback."})
final class SearchCommand implements Callable<Integer> {
    @ParentCommand
    OcularCli root;
    @Spec
    CommandSpec spec;

    @Option(names = "--image", paramLabel = "FILE|ID", description = "Example image: a file, or a catalog image id.")
    String image;

    @Option(names = "--text", paramLabel = "TEXT", description = "Words describing the photo (needs a CLIP model).")
    String text;

    @Option(names = "--modify", paramLabel = "TEXT", description = "With --image: how the wanted photo differs.")
    String modify;

    @Option(names = "--weight", paramLabel = "W", defaultValue = "0.5",
            description = "With --modify: 0 = image only, 1 = text only (default: ${DEFAULT-VALUE}).")
    double weight;

    @Option(names = "--relevant", paramLabel = "ID", split = ",", description = "Ids marked relevant (feedback).")
    List<Long> relevant = new ArrayList<>();

    @Option(names = "--irrelevant", paramLabel = "ID", split = ",", description = "Ids marked irrelevant (feedback).")
    List<Long> irrelevant = new ArrayList<>();

    @Option(names = "-k", paramLabel = "N", defaultValue = "20", description = "Number of results (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--verify", description = {"Instance verification (needs 'ocular instance on'): check the"
            + " best --candidates results by matching details and geometry; a result moves up when enough details"
            + " match, or fewer do and the example is also among that photo's own nearest library photos; the"
            + " rest keep their order. Says \"no confident match\" when nothing in the library shows the example"
            + " image itself."})
    boolean verify;

    @Option(names = "--candidates", paramLabel = "N", defaultValue = "100",
            description = "With --verify: how many global results are verified (default: ${DEFAULT-VALUE}).")
    int candidates;

    @Option(names = "--explain", paramLabel = "PNG", description = "Write a picture of the matching details between"
            + " the example image and the top result (implies --verify).")
    Path explain;

    @Option(names = "--rotations", paramLabel = "on|off", defaultValue = "on",
            description = "With --image: also search with the example turned by 90°, 180° and 270°, so photos shot"
                    + " sideways (without EXIF orientation) are found; a hit that matched turned is marked as possibly"
                    + " sideways (a suggestion to rotate it upright; no file is changed). The turned views are embedded"
                    + " smaller, and the one that may match again at full size: about twice the cost of searching"
                    + " upright only (default: ${DEFAULT-VALUE}).")
    String rotations;

    @Option(names = "--augment", paramLabel = "on|off", defaultValue = "on",
            description = "With --image and a photo of the library (an id, or its file): database-side augmentation,"
                    + " each of the best results is scored together with its nearest library photo, so photos of the"
                    + " same scene as the example come first (default: ${DEFAULT-VALUE}).")
    String augment;

    @Option(names = "--text-model", paramLabel = "ID", description = {"Which text model reads the words of --text"
            + " and --modify for this search: the active model's own (e.g. clip-vit-b32, English) or a companion"
            + " of its vector space (e.g. clip-vit-b32-multilingual, 50+ languages). Image vectors are not"
            + " touched. Default: the one chosen with 'ocular models text-model', else the model's own."})
    String textModel;

    @Option(names = "--folder", paramLabel = "DIR", description = {"Only photos in this folder or its sub-folders"
            + " (repeat for several). Applied inside the search, so -k results still come back."})
    List<Path> folders = new ArrayList<>();

    @Option(names = "--from", paramLabel = "YYYY-MM-DD", description = "Only photos taken on or after this day"
            + " (EXIF date, else the file's time; local time zone).")
    String from;

    @Option(names = "--to", paramLabel = "YYYY-MM-DD", description = "Only photos taken on or before this day.")
    String to;

    @Option(names = "--exclude", paramLabel = "ID", split = ",", description = "Catalog image ids never to return.")
    List<Long> exclude = new ArrayList<>();

    @Option(names = "--json", description = "Print one JSON object: hits [{id, path, score[, video, time_ms, time,"
            + " duration_ms][, inliers, check][, turned]}], model, text_model, ms [, verified, notice, explain]; a hit"
            + " in a video gives the moment (time \"0:42\"); turned = degrees clockwise the example had to be turned"
            + " to match the hit; check = verified, not_verified or no_features (no local features to compare).")
    boolean json;

    @Override
    public Integer call() {
        Query query = query();
        PrintWriter out = spec.commandLine().getOut();
        boolean verifying = verify || explain != null;
        SearchOptions options = (verifying ? new SearchOptions(true, Math.max(candidates, k)) : SearchOptions.DEFAULT)
                .withRotations(EvalCommand.onOff("--rotations", rotations)).withScope(scope(ZoneId.systemDefault()))
                .withAugment(EvalCommand.onOff("--augment", augment));
        try (Engine ocular = root.open(null)) {
            if (textModel != null) {
                if (text == null && modify == null) {
                    throw new OcularException("--text-model chooses who reads --text or --modify; give one of them.");
                }
                ocular.useTextModel(textModel, false);
            }
            String reader = text == null && modify == null ? null
                    : ocular.textTowers().map(t -> t.current()).orElse(null);
            SearchResult r = ocular.search().search(query, k, options);
            Verification v = r.verification();
            Path written = null;
            if (explain != null && !r.hits().isEmpty()) {
                written = writeExplanation(ocular, query, r.hits().get(0).imageId());
            }
            if (json) {
                List<Map<String, Object>> hits = new ArrayList<>();
                for (SearchHit h : r.hits()) {
                    Map<String, Object> hit = StatusCommand.ordered("id", h.imageId(), "path", h.path().toString(),
                            "score", h.score());
                    if (h.isMoment()) { // a moment of a video: where in it
                        hit.put("video", true);
                        hit.put("time_ms", h.frameMs());
                        hit.put("time", SearchHit.clock(h.frameMs()));
                        hit.put("duration_ms", h.durationMs());
                    }
                    if (v != null) {
                        hit.put("inliers", v.inliers().getOrDefault(h.imageId(), 0));
                        hit.put("check", v.check(h.imageId()).name().toLowerCase(Locale.ROOT));
                    }
                    Integer turned = r.turns().get(h.imageId());
                    if (turned != null) {
                        hit.put("turned", turned * 90);
                    }
                    hits.add(hit);
                }
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("hits", hits);
                o.put("model", r.modelId());
                if (reader != null) {
                    o.put("text_model", reader);
                }
                o.put("ms", r.micros() / 1000.0);
                if (v != null) {
                    o.put("verified", v.confident());
                    o.put("best_inliers", v.bestInliers());
                }
                if (r.notice() != null) {
                    o.put("notice", r.notice());
                }
                if (written != null) {
                    o.put("explain", written.toString());
                }
                Json.print(out, o);
                return 0;
            }
            if (r.notice() != null) {
                out.println(r.notice());
            }
            boolean anyTurned = false;
            for (SearchHit h : r.hits()) {
                Integer turned = r.turns().get(h.imageId());
                String mark = (h.isMoment() ? "  at " + SearchHit.clock(h.frameMs()) : "")
                        + (turned == null ? "" : "  [sideways? matches the example turned " + turned * 90 + "°]");
                anyTurned |= turned != null;
                if (v != null) {
                    out.println(String.format(Locale.ROOT, "%9.4f  %4d  %6d  %s%s", h.score(),
                            v.inliers().getOrDefault(h.imageId(), 0), h.imageId(), h.path(), mark));
                } else {
                    out.println(String.format(Locale.ROOT, "%.4f  %6d  %s%s", h.score(), h.imageId(), h.path(), mark));
                }
            }
            if (anyTurned) {
                out.println("Photos marked sideways? look turned relative to the example; rotating them upright is only"
                        + " a suggestion (Ocular never changes your files).");
            }
            out.println(String.format(Locale.ROOT, "%d results in %.1f ms (model %s%s%s)", r.hits().size(),
                    r.micros() / 1000.0, r.modelId(), reader == null || reader.equals(r.modelId()) ? ""
                            : ", words read by " + reader, v == null ? "" : v.confident()
                            ? ", verified: " + v.bestInliers() + " matching points"
                            : ", not verified"));
            if (written != null) {
                out.println("Matching details written to " + written);
            }
            out.flush();
            return 0;
        }
    }

    private Path writeExplanation(Engine ocular, Query query, long topId) {
        BufferedImage picture = ocular.explainMatch(query, topId, 360);
        Path target = explain.toAbsolutePath().normalize();
        try {
            if (target.getParent() != null) {
                Files.createDirectories(target.getParent());
            }
            if (!ImageIO.write(picture, "png", target.toFile())) {
                throw new OcularException("Could not write " + target + " as PNG.");
            }
        } catch (IOException e) {
            throw new OcularException("Could not write " + target + ": " + e.getMessage(), e);
        }
        return target;
    }

    /** The query the flags describe; contradictory or missing flags are usage errors (exit 2). */
    Query query() {
        if (k < 1) {
            throw usage("-k must be at least 1.");
        }
        if (candidates < 1) {
            throw usage("--candidates must be at least 1.");
        }
        if ((verify || explain != null) && image == null) {
            throw usage("--verify and --explain need an example image (--image).");
        }
        if (image == null && text == null) {
            throw usage("Give --image FILE|ID or --text TEXT.");
        }
        if (image != null && text != null) {
            throw usage("Use either --image or --text; to change an image with words use --image with --modify.");
        }
        if (modify != null && image == null) {
            throw usage("--modify needs --image.");
        }
        if (weight < 0 || weight > 1 || Double.isNaN(weight)) {
            throw usage("--weight must be between 0 and 1.");
        }
        Query base = text != null ? new Query.ByText(text) : imageQuery(image);
        if (modify != null) {
            base = new Query.Composed(base, modify, weight);
        }
        if (!relevant.isEmpty() || !irrelevant.isEmpty()) {
            base = new Query.Refined(base, List.of(new Query.FeedbackRound(Set.copyOf(relevant), Set.copyOf(irrelevant))));
        }
        return base;
    }

    /** The photos --folder, --from, --to and --exclude let through; bad values are usage errors. */
    SearchScope scope(ZoneId zone) {
        Set<Path> real = new HashSet<>();
        for (Path f : folders) {
            if (!Files.isDirectory(f)) {
                throw usage("--folder " + f + " is not a folder.");
            }
            try {
                real.add(f.toRealPath()); // the catalog holds the paths the indexer found: real ones
            } catch (IOException e) {
                throw usage("--folder " + f + " cannot be read: " + e.getMessage());
            }
        }
        LocalDate first = day("--from", from);
        LocalDate last = day("--to", to);
        if (first != null && last != null && last.isBefore(first)) {
            throw usage("--to (" + last + ") is before --from (" + first + ").");
        }
        return new SearchScope(real, first == null ? null : first.atStartOfDay(zone).toInstant(),
                last == null ? null : last.plusDays(1).atStartOfDay(zone).toInstant(), Set.copyOf(exclude));
    }

    private LocalDate day(String flag, String value) {
        if (value == null) {
            return null;
        }
        try {
            return LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw usage(flag + " takes a day as YYYY-MM-DD, e.g. 2024-06-30 (got '" + value + "').");
        }
    }

    private static Query imageQuery(String value) {
        Path p = Path.of(value);
        if (Files.exists(p)) {
            if (!Files.isRegularFile(p)) {
                throw new OcularException("Not a file: " + value);
            }
            return new Query.ByFile(p.toAbsolutePath().normalize());
        }
        try {
            return new Query.ByImage(Long.parseLong(value));
        } catch (NumberFormatException e) {
            throw new OcularException("Image file not found: " + value);
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}

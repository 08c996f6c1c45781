package io.ocular.cli;

import io.ocular.app.Ocular;
import io.ocular.model.OcularException;
import io.ocular.model.Query;
import io.ocular.model.SearchHit;
import io.ocular.model.SearchResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

    @Option(names = "--json", description = "Print one JSON object: hits [{id, path, score}], model, ms.")
    boolean json;

    @Override
    public Integer call() {
        Query query = query();
        PrintWriter out = spec.commandLine().getOut();
        try (Ocular ocular = root.open(null)) {
            SearchResult r = ocular.search().search(query, k);
            if (json) {
                List<Map<String, Object>> hits = new ArrayList<>();
                for (SearchHit h : r.hits()) {
                    hits.add(StatusCommand.ordered("id", h.imageId(), "path", h.path().toString(), "score", h.score()));
                }
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("hits", hits);
                o.put("model", r.modelId());
                o.put("ms", r.micros() / 1000.0);
                if (r.notice() != null) {
                    o.put("notice", r.notice());
                }
                Json.print(out, o);
                return 0;
            }
            if (r.notice() != null) {
                out.println(r.notice());
            }
            for (SearchHit h : r.hits()) {
                out.println(String.format(Locale.ROOT, "%.4f  %6d  %s", h.score(), h.imageId(), h.path()));
            }
            out.println(String.format(Locale.ROOT, "%d results in %.1f ms (model %s)", r.hits().size(),
                    r.micros() / 1000.0, r.modelId()));
            out.flush();
            return 0;
        }
    }

    /** The query the flags describe; contradictory or missing flags are usage errors (exit 2). */
    Query query() {
        if (k < 1) {
            throw usage("-k must be at least 1.");
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

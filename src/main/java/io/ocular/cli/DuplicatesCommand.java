package io.ocular.cli;

import io.ocular.engine.DuplicateService;
import io.ocular.engine.Engine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "duplicates", mixinStandardHelpOptions = true,
        description = {"List groups of near-duplicate photos in the library (by the active model's vectors).",
                "Nothing is deleted; the window's Duplicates tab moves chosen copies to the trash."})
final class DuplicatesCommand implements Callable<Integer> {
    @ParentCommand
    OcularCli root;
    @Spec
    CommandSpec spec;

    @Option(names = "--threshold", paramLabel = "T",
            description = "Similarity from 0.80 to 1 (default: 0.95, re-saved and resized copies; 0.98 with the "
                    + "built-in descriptor). Lower also finds near-identical shots.")
    Double threshold;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() {
        if (threshold != null) {
            DuplicateService.requireThreshold(threshold); // before opening anything
        }
        PrintWriter out = spec.commandLine().getOut();
        try (Engine ocular = root.open(null)) {
            double t = threshold != null ? threshold : ocular.duplicates().defaultThreshold();
            List<DuplicateService.Group> groups = ocular.duplicates().find(t);
            String model = ocular.activeModel().id();
            Json.print(out, json, () -> json(groups, model, t), text -> print(text, groups, model, t));
            return 0;
        }
    }

    private static Map<String, Object> json(List<DuplicateService.Group> groups, String model, double threshold) {
        List<Map<String, Object>> gs = new ArrayList<>();
        for (DuplicateService.Group g : groups) {
            List<Map<String, Object>> members = new ArrayList<>();
            for (DuplicateService.Member m : g.members()) {
                members.add(StatusCommand.ordered("id", m.id(), "path", m.path().toString(), "bytes", m.size()));
            }
            gs.add(StatusCommand.ordered("similarity", round(g.similarity()), "photos", members));
        }
        return StatusCommand.ordered("model", model, "threshold", threshold, "groups", gs);
    }

    private static void print(PrintWriter out, List<DuplicateService.Group> groups, String model, double threshold) {
        if (groups.isEmpty()) {
            out.println(String.format(Locale.ROOT, "No near-duplicates at similarity %.2f (model %s).", threshold,
                    model));
            return;
        }
        int photos = groups.stream().mapToInt(g -> g.members().size()).sum();
        out.println(String.format(Locale.ROOT, "%d group%s, %d photos at similarity %.2f (model %s):", groups.size(),
                groups.size() == 1 ? "" : "s", photos, threshold, model));
        for (int i = 0; i < groups.size(); i++) {
            DuplicateService.Group g = groups.get(i);
            out.println();
            out.println(String.format(Locale.ROOT, "Group %d (similarity %.3f)", i + 1, g.similarity()));
            for (DuplicateService.Member m : g.members()) {
                out.println("  " + m.path());
            }
        }
    }

    private static double round(float similarity) {
        return Math.round(similarity * 10000.0) / 10000.0;
    }
}

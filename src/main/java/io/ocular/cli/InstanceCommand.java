package io.ocular.cli;

import io.ocular.engine.Engine;
import io.ocular.model.IndexProgress;
import io.ocular.model.OcularException;
import io.ocular.search.local.InstanceSearch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "instance", mixinStandardHelpOptions = true,
        description = {"Instance search: find this very object or scene (not just look-alikes) and say when"
                + " nothing in the library shows it. Needs the MobileNetV2 feature model ('ocular models import')"
                + " and computes local features for every image (about 13 KB each). Off by default.",
                "Use it with 'ocular search --image FILE --verify' (or --explain out.png)."},
        subcommands = {InstanceCommand.On.class, InstanceCommand.Off.class, InstanceCommand.Status.class})
final class InstanceCommand implements Runnable {
    @ParentCommand
    OcularCli root;
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: on, off or status.");
    }

    static InstanceSearch instance(Engine ocular) {
        return ocular.instance().orElseThrow(() -> new OcularException("Instance search is not available."));
    }

    static Map<String, Object> statusJson(InstanceSearch.Status s) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("enabled", s.enabled());
        o.put("model", s.modelFile().map(Object::toString).orElse(null));
        o.put("fitted", s.keypoints().isPresent());
        s.keypoints().ifPresent(k -> o.put("keypoints", k));
        if (s.sampleImages() > 0) {
            o.put("sample_images", s.sampleImages());
        }
        o.put("images_with_features", s.imagesWithFeatures());
        o.put("indexed_images", s.indexedImages());
        s.lastPass().ifPresent(p -> o.put("last_pass", p));
        return o;
    }

    /** The status of {@code is}: one JSON object with {@code json}, else the lines of {@link #printStatus}. */
    static void print(PrintWriter out, boolean json, InstanceSearch is) {
        InstanceSearch.Status s = is.status();
        Json.print(out, json, () -> statusJson(s), w -> printStatus(w, s, is.config().minImages()));
    }

    private static void printStatus(PrintWriter out, InstanceSearch.Status s, int minImages) {
        out.println("Instance search: " + (s.enabled() ? "on" : "off"));
        out.println("Feature model:   " + s.modelFile().map(Object::toString)
                .orElse("not installed ('ocular models download mobilenetv2-int8', or 'ocular models import"
                        + " mobilenetv2-12-int8.onnx')"));
        out.println("Keypoints:       " + s.keypoints().map(k -> k + " (fitted on " + s.sampleImages() + " images)")
                .orElse("not fitted yet (needs " + minImages + " indexed images)"));
        out.println("Local features:  " + s.imagesWithFeatures() + " of " + s.indexedImages() + " indexed images");
        s.lastPass().ifPresent(p -> out.println("Last pass:       " + p));
    }

    @Command(name = "on", mixinStandardHelpOptions = true,
            description = "Turn instance search on and compute local features for the library now (Ctrl-C stops;"
                    + " the rest is computed by the next 'ocular index').")
    static final class On implements Callable<Integer> {
        @ParentCommand
        InstanceCommand parent;
        @Spec
        CommandSpec spec;
        @Option(names = "--json", description = "Print the resulting status as one JSON object.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try (CtrlC ctrlC = new CtrlC(); Engine ocular = parent.root.open(null)) {
                InstanceSearch is = instance(ocular);
                IndexProgress last = IndexRun.runToCompletion(ocular.indexer(), () -> ocular.setInstanceSearch(true),
                        err, ctrlC);
                print(out, json, is);
                if (ctrlC.interrupted() || last.state() == IndexProgress.State.CANCELLING) {
                    err.println("Cancelled; instance search is on and the features computed so far are kept.");
                    return 130;
                }
                return 0;
            }
        }
    }

    @Command(name = "off", mixinStandardHelpOptions = true,
            description = "Turn instance search off (stored local features are kept for turning it on again).")
    static final class Off implements Callable<Integer> {
        @ParentCommand
        InstanceCommand parent;
        @Spec
        CommandSpec spec;
        @Option(names = "--json", description = "Print the resulting status as one JSON object.")
        boolean json;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (Engine ocular = parent.root.open(null)) {
                InstanceSearch is = instance(ocular);
                ocular.setInstanceSearch(false);
                InstanceSearch.Status s = is.status();
                Json.print(out, json, () -> statusJson(s), w -> w.println("Instance search is off; the local"
                        + " features of " + s.imagesWithFeatures() + " images are kept."));
                return 0;
            }
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Show whether instance search is on, its model and how many images have local features.")
    static final class Status implements Callable<Integer> {
        @ParentCommand
        InstanceCommand parent;
        @Spec
        CommandSpec spec;
        @Option(names = "--json", description = "Print one JSON object.")
        boolean json;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (Engine ocular = parent.root.open(null)) {
                print(out, json, instance(ocular));
                return 0;
            }
        }
    }
}

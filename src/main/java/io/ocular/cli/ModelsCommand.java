package io.ocular.cli;

import io.ocular.embed.BuiltinDescriptor;
import io.ocular.embed.EmbeddingSpaces;
import io.ocular.embed.InstalledModel;
import io.ocular.embed.ModelCatalogue;
import io.ocular.embed.TextTowers;
import io.ocular.engine.Engine;
import io.ocular.engine.ModelService;
import io.ocular.model.ModelInfo;
import io.ocular.model.ModelKind;
import io.ocular.model.OcularException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "models", mixinStandardHelpOptions = true,
        description = "List, import, download and remove models (the model store of the data folder).",
        subcommands = {ModelsCommand.ListModels.class, ModelsCommand.Import.class, ModelsCommand.Download.class,
                ModelsCommand.Remove.class, ModelsCommand.TextModel.class})
final class ModelsCommand implements Runnable {
    @ParentCommand
    OcularCli root;
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "Missing subcommand: list, import, download, remove or text-model.");
    }

    /** The data folder's models, without opening the engine (no encoder is loaded to list or install). */
    ModelService service() {
        return ModelService.open(root.paths());
    }

    static Map<String, Object> json(ModelInfo m, boolean builtin, String licence, String source) {
        Map<String, Object> o = StatusCommand.ordered("id", m.id(), "name", m.name(),
                "kind", m.kind().name().toLowerCase(Locale.ROOT), "dimension", m.dimension(), "builtin", builtin);
        if (licence != null) {
            o.put("licence", licence);
        }
        if (source != null) {
            o.put("source", source);
        }
        return o;
    }

    static Map<String, Object> json(InstalledModel m) {
        Map<String, Object> o = json(m.manifest().toModelInfo(), false, m.manifest().licence(), m.manifest().source());
        o.put("space", new EmbeddingSpaces(ModelCatalogue.builtIn()).spaceOf(m.manifest()));
        return o;
    }

    /** A catalogue entry with every fact: revision, space, inputs/outputs and each file's size and SHA-256. */
    static Map<String, Object> json(ModelCatalogue.Entry e, boolean installed) {
        Map<String, Object> o = StatusCommand.ordered("id", e.id(), "name", e.name(),
                "kind", e.kind().name().toLowerCase(Locale.ROOT), "dimension", e.dimension());
        o.put("bytes", e.totalSize());
        o.put("installed", installed);
        if (e.space() != null) {
            o.put("space", e.space());
        }
        if (e.revision() != null) {
            o.put("revision", e.revision());
        }
        if (!e.inputs().isEmpty()) {
            o.put("inputs", e.inputs());
        }
        if (!e.outputs().isEmpty()) {
            o.put("outputs", e.outputs());
        }
        List<Map<String, Object>> files = new ArrayList<>();
        for (ModelCatalogue.FileSpec f : e.files()) {
            Map<String, Object> fo = StatusCommand.ordered("name", f.name(), "bytes", f.size(), "sha256", f.sha256(),
                    "url", f.url().toString());
            if (f.arch() != null) {
                fo.put("arch", f.arch());
            }
            files.add(fo);
        }
        o.put("files", files);
        return o;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Installed models and models to download.")
    static final class ListModels implements Callable<Integer> {
        @ParentCommand
        ModelsCommand models;
        @Spec
        CommandSpec spec;
        @Option(names = "--json", description = "Print one JSON object.")
        boolean json;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            ModelService service = models.service();
            List<Map<String, Object>> installed = new ArrayList<>();
            installed.add(json(BuiltinDescriptor.info(), true, "Apache-2.0", "built in"));
            for (InstalledModel m : service.installed()) {
                installed.add(json(m));
            }
            List<Map<String, Object>> downloadable = new ArrayList<>();
            for (ModelCatalogue.Entry e : service.catalogue().entries()) {
                downloadable.add(json(e, service.isInstalled(e.id())));
            }
            if (json) {
                Json.print(out, StatusCommand.ordered("installed", installed, "downloadable", downloadable));
                return 0;
            }
            out.println("Installed:");
            for (Map<String, Object> m : installed) {
                out.println(String.format(Locale.ROOT, "  %-26s %-10s %5s-d  %s", m.get("id"), m.get("kind"),
                        m.get("dimension"), m.get("name")));
            }
            out.println("Downloadable (ocular models download ID):");
            for (Map<String, Object> m : downloadable) {
                out.println(String.format(Locale.ROOT, "  %-26s %7.1f MB  %s%s", m.get("id"),
                        ((Number) m.get("bytes")).longValue() / 1e6, m.get("name"),
                        Boolean.TRUE.equals(m.get("installed")) ? "  (installed)" : ""));
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Import models you downloaded yourself: a folder (e.g. a Hugging Face repository as"
                    + " downloaded: onnx/vision_model.onnx, onnx/text_model.onnx, tokenizer.json) or several files,"
                    + " an .onnx file or a model pack (.zip with manifest.json).",
                    "Files whose SHA-256 match a catalogue model install as that model, verified. CLIP-style"
                            + " image/text models and sentence-transformers text models (e.g. the multilingual"
                            + " CLIP text model with its 2_Dense/model.safetensors) are recognised by their inputs"
                            + " and outputs; anything else is refused with what was expected.",
                    "The ONNX Model Zoo's mobilenetv2-12-int8.onnx is recognised by its checksum and installed as"
                            + " the photo model (Ocular adds its feature outputs), as 'download mobilenetv2-int8' does."})
    static final class Import implements Callable<Integer> {
        @ParentCommand
        ModelsCommand models;
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "PATH", arity = "1..*", description = "Folders and files to import.")
        List<Path> paths;
        @Option(names = "--id", paramLabel = "ID", description = "Install under this id (when one model results).")
        String id;
        @Option(names = "--space", paramLabel = "SPACE", description = {"For a recognised model that matches no"
                + " catalogue entry: the vector space it belongs to, e.g. openai-clip-vit-b32 (a text model of the"
                + " same space searches that image model's photos). Default: the model's own space; multilingual"
                + " CLIP text models default to openai-clip-vit-b32."})
        String space;
        @Option(names = "--json", description = "Print one JSON object: installed [{id, name, kind, ...}].")
        boolean json;

        @Override
        public Integer call() {
            for (Path p : paths) {
                if (!Files.exists(p)) {
                    throw new OcularException("File not found: " + p);
                }
            }
            List<InstalledModel> installed = models.service().importModels(paths, Optional.ofNullable(id),
                    Optional.ofNullable(space));
            Json.print(spec.commandLine().getOut(), json,
                    () -> {
                        // the (first) model's fields at the top level, every installed model in "installed"
                        Map<String, Object> o = json(installed.get(0));
                        o.put("installed", installed.stream().map(ModelsCommand::json).toList());
                        return o;
                    },
                    out -> installed.forEach(m -> out.println("Installed model '" + m.manifest().id() + "' ("
                            + m.manifest().name() + ", " + m.manifest().dimension() + "-d). "
                            + (m.manifest().kind() == ModelKind.TEXT
                            ? "It reads search words for the image models of its space: ocular search --text-model "
                            + m.manifest().id() + " --text WORDS."
                            : "Use it with --model " + m.manifest().id() + "."))));
            return 0;
        }
    }

    @Command(name = "download", mixinStandardHelpOptions = true,
            description = "Download a model from the catalogue (checksums verified; Ctrl-C keeps partial files).")
    static final class Download implements Callable<Integer> {
        @ParentCommand
        ModelsCommand models;
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "ID", description = "Model id from 'ocular models list'.")
        String id;
        @Option(names = "--json", description = "Print one JSON object.")
        boolean json;

        @Override
        public Integer call() {
            ModelService service = models.service();
            PrintWriter err = spec.commandLine().getErr();
            try (CtrlC ctrlC = new CtrlC()) {
                long[] lastDraw = {0};
                InstalledModel m = service.download(id, p -> {
                    long now = System.nanoTime();
                    if (now - lastDraw[0] > 1_000_000_000L) {
                        lastDraw[0] = now;
                        err.println(String.format(Locale.ROOT, "%s: %.1f / %.1f MB  %.1f MB/s", p.file(), p.bytes() / 1e6,
                                p.total() / 1e6, p.bytesPerSecond() / 1e6));
                        err.flush();
                    }
                }, ctrlC::interrupted);
                Json.print(spec.commandLine().getOut(), json, () -> json(m),
                        out -> out.println("Installed model '" + id + "'."));
                return 0;
            }
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove an installed model.")
    static final class Remove implements Callable<Integer> {
        @ParentCommand
        ModelsCommand models;
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "ID")
        String id;
        @Option(names = "--json", description = "Print one JSON object.")
        boolean json;

        @Override
        public Integer call() {
            models.service().remove(id); // refuses the built-in, the active and unknown models
            Json.print(spec.commandLine().getOut(), json, () -> StatusCommand.ordered("removed", id),
                    out -> out.println("Removed model '" + id + "'. Its vectors stay in the catalog until the library"
                            + " is indexed with another model."));
            return 0;
        }
    }

    @Command(name = "text-model", mixinStandardHelpOptions = true,
            description = {"Show or choose which text model reads search words for the active model (\"Search words"
                    + " with: English CLIP | Multilingual\"). Choices are the active model's own text tower and the"
                    + " installed text models of its vector space; image vectors are never touched."})
    static final class TextModel implements Callable<Integer> {
        @ParentCommand
        ModelsCommand models;
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "ID", arity = "0..1", description = "The text model to use from now on.")
        String id;
        @Option(names = "--json", description = "Print one JSON object: model, text_model, choices.")
        boolean json;

        @Override
        public Integer call() {
            try (Engine ocular = models.root.open(null)) {
                TextTowers towers = ocular.textTowers().orElseThrow(() -> new OcularException(
                        "The active model (" + ocular.activeModel().id() + ") cannot search by words. Install CLIP"
                                + " ('ocular models download clip-vit-b32') and make it active."));
                if (id != null) {
                    ocular.useTextModel(id, true);
                }
                List<String> choices = towers.choices().stream().map(ModelInfo::id).toList();
                Json.print(spec.commandLine().getOut(), json,
                        () -> StatusCommand.ordered("model", ocular.activeModel().id(), "text_model", towers.current(),
                                "choices", choices),
                        out -> {
                            out.println("Search words for '" + ocular.activeModel().id() + "' are read by '"
                                    + towers.current() + "'" + (id != null ? " from now on." : "."));
                            out.println("Text models for it: " + String.join(", ", choices));
                        });
                return 0;
            }
        }
    }
}

package io.ocular.cli;

import io.ocular.embed.BuiltinDescriptor;
import io.ocular.embed.InstalledModel;
import io.ocular.embed.ModelCatalogue;
import io.ocular.engine.ModelService;
import io.ocular.model.ModelInfo;
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
                ModelsCommand.Remove.class})
final class ModelsCommand implements Runnable {
    @ParentCommand
    OcularCli root;
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "Missing subcommand: list, import, download or remove.");
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
        return json(m.manifest().toModelInfo(), false, m.manifest().licence(), m.manifest().source());
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
                downloadable.add(StatusCommand.ordered("id", e.id(), "name", e.name(), "bytes", e.totalSize(),
                        "installed", service.isInstalled(e.id())));
            }
            if (json) {
                Json.print(out, StatusCommand.ordered("installed", installed, "downloadable", downloadable));
                return 0;
            }
            out.println("Installed:");
            for (Map<String, Object> m : installed) {
                out.println(String.format(Locale.ROOT, "  %-22s %-6s %5s-d  %s", m.get("id"), m.get("kind"),
                        m.get("dimension"), m.get("name")));
            }
            out.println("Downloadable (ocular models download ID):");
            for (Map<String, Object> m : downloadable) {
                out.println(String.format(Locale.ROOT, "  %-22s %7.1f MB  %s%s", m.get("id"),
                        ((Number) m.get("bytes")).longValue() / 1e6, m.get("name"),
                        Boolean.TRUE.equals(m.get("installed")) ? "  (installed)" : ""));
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Import an ONNX file or a model pack (.zip with manifest.json).")
    static final class Import implements Callable<Integer> {
        @ParentCommand
        ModelsCommand models;
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "FILE", description = "The .onnx file or .zip pack.")
        Path file;
        @Option(names = "--id", paramLabel = "ID", description = "Install under this id (ONNX files only).")
        String id;
        @Option(names = "--json", description = "Print one JSON object.")
        boolean json;

        @Override
        public Integer call() {
            if (!Files.isRegularFile(file)) {
                throw new OcularException("File not found: " + file);
            }
            InstalledModel m = models.service().importModel(file, Optional.ofNullable(id));
            Json.print(spec.commandLine().getOut(), json, () -> json(m),
                    out -> out.println("Installed model '" + m.manifest().id() + "' (" + m.manifest().name() + ", "
                            + m.manifest().dimension() + "-d). Use it with --model " + m.manifest().id() + "."));
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
}

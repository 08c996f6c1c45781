package io.ocular.cli;

import io.ocular.engine.Engine;
import io.ocular.model.ImageStatus;
import io.ocular.model.IndexProgress;
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
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "index", mixinStandardHelpOptions = true,
        description = {"Add folders to the library and index them.",
                "Ctrl-C stops cleanly; images finished so far are kept."})
final class IndexCommand implements Callable<Integer> {
    @ParentCommand
    OcularCli root;
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "DIR", description = "Folders to add (everything below is indexed).")
    List<Path> folders;

    @Option(names = "--model", paramLabel = "ID", description = "Make this model active (it must be installed).")
    String model;

    @Override
    public Integer call() throws Exception {
        for (Path f : folders) {
            if (!Files.isDirectory(f)) {
                throw new OcularException("Folder not found: " + f);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (CtrlC ctrlC = new CtrlC(); Engine ocular = root.open(null)) {
            IndexProgress last = IndexRun.runToCompletion(ocular.indexer(),
                    () -> {
                        if (model != null) {
                            // the window's switch: folders indexed earlier get vectors of the new model too
                            ocular.models().activate(model);
                        }
                        folders.forEach(f -> ocular.indexer().addFolder(f.toAbsolutePath().normalize()));
                    }, err, ctrlC);
            var catalog = ocular.catalog();
            String summary = String.format("%d images indexed, %d skipped, %d pending (model %s)",
                    catalog.countImages(ImageStatus.INDEXED), catalog.countImages(ImageStatus.SKIPPED),
                    catalog.countImages(ImageStatus.PENDING), ocular.activeModel().id());
            if (ctrlC.interrupted() || last.state() == IndexProgress.State.CANCELLING) {
                err.println("Cancelled; work finished so far is kept. " + summary);
                return 130;
            }
            if (last.state() == IndexProgress.State.FAILED) {
                throw new OcularException("Indexing failed; see the log. " + summary);
            }
            out.println(summary);
            return 0;
        }
    }
}

package io.ocular.cli;

import io.ocular.engine.AppPaths;
import io.ocular.engine.ComputerId;
import io.ocular.model.FolderRecord;
import io.ocular.model.OcularException;
import io.ocular.store.PostgresCatalog;
import io.ocular.store.PostgresLocation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ocular catalog map-folder NAME PATH}: in a shared library, where this computer reaches a library folder
 * (a NAS share is /mnt/photos on one computer, P:\ on another). Without arguments it lists the folders by name.
 */
@Command(name = "map-folder", mixinStandardHelpOptions = true,
        description = {"Shared library only: tell Ocular where this computer reaches a library folder, by its name",
                "(e.g. 'photos' added on another computer as /mnt/photos, mounted here as /Volumes/photos).",
                "Without arguments: list the library folders with their names and paths on this computer."})
final class CatalogFoldersCommand implements Callable<Integer> {
    @ParentCommand
    CatalogCommand parent;
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "The library folder's name.")
    String name;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PATH", description = "Where it is on this computer.")
    Path path;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        AppPaths paths = parent.root.paths();
        String url = paths.sharedCatalog().orElseThrow(() -> new OcularException("map-folder is for a shared library:"
                + " name it with --catalog jdbc:postgresql://... or OCULAR_CATALOG. A catalog on this computer keeps"
                + " its folders' own paths."));
        if (name != null && path == null) {
            throw new OcularException("Give the folder's path on this computer too: ocular catalog map-folder "
                    + name + " PATH");
        }
        if (path != null && !Files.isDirectory(path)) {
            throw new OcularException("Folder not found on this computer: " + path);
        }
        try (PostgresCatalog c = PostgresCatalog.open(PostgresLocation.parse(url), ComputerId.of(paths.dataDir()))) {
            if (name != null) {
                FolderRecord f = c.mapFolder(name, path);
                out.println("'" + name + "' is " + f.path() + " on this computer (" + f.imageCount() + " images)");
                return 0;
            }
            Map<Long, String> names = c.folderNames();
            for (FolderRecord f : c.folders()) {
                out.println(names.get(f.id()) + "\t" + f.path() + "\t" + f.imageCount() + " images");
            }
            return 0;
        }
    }
}

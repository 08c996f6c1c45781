package io.ocular.cli;

import io.ocular.engine.AppPaths;
import io.ocular.engine.Engine;
import io.ocular.model.OcularException;
import io.ocular.store.Catalog;
import io.ocular.store.CatalogExport;
import io.ocular.store.PostgresLocation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code ocular catalog export --to TARGET}: copies the library to a shared server (or back to a file). */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Copy this library (folders, images, every model's vectors, derived data) to another catalog:"
                + " a shared library on a PostgreSQL server, or - with --catalog naming the server - back to a file.",
                "Resumable: run it again after an interruption and it copies only what is missing. The copy is"
                        + " verified by counts and a SHA-256 checksum on both sides.",
                "Example: ocular catalog export --to jdbc:postgresql://nas.local/ocular"})
final class CatalogExportCommand implements Callable<Integer> {
    @ParentCommand
    CatalogCommand parent;
    @Spec
    CommandSpec spec;

    @Option(names = "--to", required = true, paramLabel = "TARGET",
            description = "jdbc:postgresql://HOST:PORT/DATABASE (user and password as for psql: PGUSER, ~/.pgpass)"
                    + " or a catalog file.")
    String to;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        AppPaths source = parent.root.paths();
        AppPaths target = source.withCatalog(to, Map.of());
        String from = source.sharedCatalog().map(u -> PostgresLocation.parse(u).describe())
                .orElse(source.catalogFile().toString());
        String into = target.sharedCatalog().map(u -> PostgresLocation.parse(u).describe())
                .orElse(target.catalogFile().toString());
        if (from.equals(into)) {
            throw new OcularException("The export target is the library itself (" + into + "); name another one.");
        }
        try (Catalog a = Engine.openCatalog(source); Catalog b = Engine.openCatalog(target)) {
            err.println("Exporting " + from + " to " + into);
            CatalogExport.Result r = CatalogExport.copy(a, b, line -> {
                err.print("\r" + line);
                err.flush();
            });
            err.println();
            out.println(String.format("Copied %d images (%d were already there); %d images and %s vectors verified,"
                    + " SHA-256 %s", r.copied(), r.alreadyThere(), r.images(), r.vectorsByModel(), r.checksum()));
            return 0;
        }
    }
}

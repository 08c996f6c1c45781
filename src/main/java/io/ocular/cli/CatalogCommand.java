package io.ocular.cli;

import io.ocular.engine.InstanceLock;
import io.ocular.model.OcularException;
import io.ocular.store.CatalogBackups;
import io.ocular.store.CatalogCheck;
import io.ocular.store.CatalogDamagedException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ocular catalog check|backup|restore}: works on the catalog file directly, without opening the
 * engine, so it also works when the catalog is too damaged to open.
 */
@Command(name = "catalog", mixinStandardHelpOptions = true,
        description = "Check the catalog, back it up, or restore a backup (backups are kept in <data folder>/"
                + CatalogBackups.FOLDER + "/, made before every upgrade and daily).",
        subcommands = {CatalogCommand.Check.class, CatalogCommand.Backup.class, CatalogCommand.Restore.class,
                CatalogExportCommand.class})
final class CatalogCommand implements Runnable {
    @ParentCommand
    OcularCli root;
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "Missing subcommand: check, backup or restore; see 'ocular catalog --help'.");
    }

    CatalogBackups backups() {
        return CatalogBackups.of(root.paths().catalogFile());
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Integrity and consistency report: PRAGMA integrity_check, orphan vectors, INDEXED images"
                    + " without a vector, duplicate rows. Changes nothing. Exit code 1 when something is wrong.")
    static final class Check implements Callable<Integer> {
        @ParentCommand
        CatalogCommand parent;
        @Spec
        CommandSpec spec;
        @Option(names = "--json", description = "Print one JSON object.")
        boolean json;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            CatalogBackups backups = parent.backups();
            CatalogCheck.Report r = CatalogCheck.check(backups.catalogFile());
            List<CatalogBackups.Backup> all = backups.list();
            Json.print(out, json, () -> StatusCommand.ordered("file", r.file().toString(), "ok", r.ok(),
                    "summary", r.summary(), "schema_version", r.schemaVersion(), "integrity", r.integrity(),
                    "counts", r.counts(), "problems", r.problems(), "errors", r.errors(),
                    "backups", all.stream().map(b -> b.file().toString()).toList()), o -> {
                o.println("Catalog: " + r.file());
                o.println("Result:  " + r.summary());
                o.println("Integrity check: " + String.join("; ", r.integrity()));
                r.counts().forEach((k, v) -> o.println("  " + k + ": " + v));
                for (Map.Entry<String, Long> p : r.problems().entrySet()) {
                    o.println("  " + p.getKey() + ": " + p.getValue() + (p.getValue() > 0 ? "  <- problem" : ""));
                }
                r.errors().forEach(e -> o.println("  could not read: " + e));
                o.println("Backups: " + (all.isEmpty() ? "none" : all.size() + ", newest " + all.get(0).file()));
                if (!r.ok() && !all.isEmpty()) {
                    o.println("To restore the newest good backup: " + parent.root.commandFor("catalog restore --latest"));
                }
            });
            return r.ok() ? 0 : 1;
        }
    }

    @Command(name = "backup", mixinStandardHelpOptions = true,
            description = "Back up the catalog now (SQLite online backup; safe while Ocular runs).")
    static final class Backup implements Callable<Integer> {
        @ParentCommand
        CatalogCommand parent;
        @Spec
        CommandSpec spec;
        @Option(names = "--json", description = "Print one JSON object.")
        boolean json;

        @Override
        public Integer call() {
            CatalogBackups backups = parent.backups();
            if (!Files.isRegularFile(backups.catalogFile())) {
                throw new OcularException("There is no catalog to back up in " + backups.catalogFile().getParent() + ".");
            }
            CatalogBackups.Backup b = backups.backupNow("manual");
            Json.print(spec.commandLine().getOut(), json, () -> StatusCommand.ordered("backup", b.file().toString()),
                    o -> o.println("Backed up the catalog to " + b.file()));
            return 0;
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true,
            description = "Put a backup in place of the catalog. The backup is checked first; the catalog it"
                    + " replaces is moved to " + CatalogBackups.FOLDER + "/replaced-<time>/, never deleted."
                    + " Close Ocular's window first.")
    static final class Restore implements Callable<Integer> {
        @ParentCommand
        CatalogCommand parent;
        @Spec
        CommandSpec spec;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Source source;

        static final class Source {
            @Option(names = "--from", paramLabel = "FILE", description = "The backup file to restore.")
            Path from;
            @Option(names = "--latest", description = "The newest backup that passes its check.")
            boolean latest;
        }

        @Option(names = "--json", description = "Print one JSON object.")
        boolean json;

        @Override
        public Integer call() {
            Path dataDir = parent.root.paths().dataDir();
            if (InstanceLock.isHeld(dataDir)) {
                throw new OcularException("Ocular's window is open on " + dataDir + ": close it, then restore.");
            }
            CatalogBackups backups = parent.backups();
            Path file = source.latest
                    ? backups.newestGood().map(CatalogBackups.Backup::file).orElseThrow(() -> new OcularException(
                    "There is no good backup in " + backups.directory() + "."))
                    : source.from;
            CatalogBackups.Restored r = backups.restore(file);
            List<String> lines = new ArrayList<>();
            lines.add("Restored the catalog from " + r.from().file() + " (" + CatalogDamagedException.when(r.from())
                    + "): " + r.report().counts().getOrDefault("images", 0L) + " images, "
                    + r.report().counts().getOrDefault("vectors", 0L) + " vectors.");
            r.replacedMovedTo().ifPresent(p -> lines.add("The catalog it replaced was moved to " + p + "."));
            lines.add("Photos added or changed since the backup are picked up by the next scan.");
            Json.print(spec.commandLine().getOut(), json, () -> StatusCommand.ordered(
                    "restored_from", r.from().file().toString(),
                    "replaced_moved_to", r.replacedMovedTo().map(Path::toString).orElse(null),
                    "counts", r.report().counts()), o -> lines.forEach(o::println));
            return 0;
        }
    }
}

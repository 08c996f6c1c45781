package io.ocular.cli;

import io.ocular.engine.AppPaths;
import io.ocular.engine.Engine;
import io.ocular.model.OcularException;
import io.ocular.store.CatalogDamagedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Objects;

/**
 * {@code ocular}: the command-line front end. Exit codes: 0 success, 1 a failure the user can act on
 * (missing file, unknown model, ...; one line on stderr, details in the log), 2 bad usage (picocli's message
 * and usage help).
 */
@Command(name = "ocular", mixinStandardHelpOptions = true, versionProvider = OcularCli.Version.class,
        description = "Find photos by what they show, fully on this computer.",
        subcommands = {IndexCommand.class, StatusCommand.class, SearchCommand.class, DuplicatesCommand.class,
                ModelsCommand.class, InstanceCommand.class, CatalogCommand.class, EvalCommand.class, TrainCommand.class,
                BenchCommand.class,
                CommandLine.HelpCommand.class})
public final class OcularCli implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(OcularCli.class);

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "Data folder (catalog, models, thumbnails, logs). Default: $OCULAR_HOME or the platform's"
                    + " per-user data folder.")
    String dataDir;

    @Option(names = "--catalog", paramLabel = "CATALOG", scope = ScopeType.INHERIT,
            description = "The library to use instead of the data folder's own catalog: a shared library on a"
                    + " PostgreSQL server (jdbc:postgresql://HOST:PORT/DATABASE; user, password and sslmode as for"
                    + " psql: PGUSER, ~/.pgpass or PGPASSFILE, PGSSLMODE) or another catalog file."
                    + " Default: $OCULAR_CATALOG, else catalog.db in the data folder.")
    String catalog;

    private final OcularOpener opener;

    public OcularCli() {
        this(Engine::open);
    }

    public OcularCli(OcularOpener opener) {
        this.opener = Objects.requireNonNull(opener, "opener");
    }

    /** A configured command line: user errors become one line on stderr and exit code 1. */
    public static CommandLine commandLine(OcularOpener opener) {
        CommandLine cl = new CommandLine(new OcularCli(opener));
        cl.setExecutionExceptionHandler(OcularCli::handleExecutionException);
        return cl;
    }

    public static CommandLine commandLine() {
        return commandLine(Engine::open);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command; see 'ocular --help'.");
    }

    /** The data folder chosen by --data-dir, OCULAR_HOME or the platform default. */
    AppPaths paths() {
        return AppPaths.resolve(dataDir, catalog);
    }

    /** Opens the engine on the user's data folder. */
    Engine open(String modelId) {
        return opener.open(paths().createDirectories(), modelId);
    }

    /** {@code ocular <args>} as the user would type it again, with the --data-dir given to this run. */
    String commandFor(String args) {
        return "ocular " + args + (dataDir == null ? "" : " --data-dir " + shellQuote(dataDir));
    }

    private static String shellQuote(String s) {
        return s.matches("[A-Za-z0-9_./:@%+=,-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }

    OcularOpener opener() {
        return opener;
    }

    private static int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        OcularException user = userError(ex);
        if (user != null) {
            LOG.info("command failed: {}", user.getMessage(), user);
            err.println("ocular: " + user.getMessage());
            if (user instanceof CatalogDamagedException damaged && damaged.newestGoodBackup().isPresent()
                    && cl.getCommandSpec().root().userObject() instanceof OcularCli root) {
                err.println("To restore it, close Ocular and run: " + root.commandFor("catalog restore --latest"));
            }
        } else {
            LOG.error("internal error", ex);
            err.println("ocular: internal error: " + ex + " (details in the log under "
                    + System.getProperty(AppPaths.LOG_DIR_PROPERTY, "the data folder") + ")");
        }
        err.flush();
        return 1;
    }

    private static OcularException userError(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof OcularException o) {
                return o;
            }
        }
        return null;
    }

    /** Version from the jar manifest (Implementation-Version), or "dev" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = OcularCli.class.getPackage().getImplementationVersion();
            return new String[] {"Ocular " + (v == null ? "dev" : v),
                    "Java " + System.getProperty("java.version") + " on " + System.getProperty("os.name")
                            + " " + System.getProperty("os.arch")};
        }
    }
}

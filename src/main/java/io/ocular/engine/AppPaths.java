package io.ocular.engine;

import io.ocular.model.OcularException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where Ocular keeps its state. The data directory is chosen by, in order: the {@code --data-dir} option,
 * the {@code OCULAR_HOME} environment variable, the platform's per-user data folder (Linux:
 * {@code $XDG_DATA_HOME/ocular} or {@code ~/.local/share/ocular}; Windows: {@code %APPDATA%\Ocular};
 * macOS: {@code ~/Library/Application Support/Ocular}).
 *
 * @param dataDir       the data directory
 * @param logsDir       rolling logs ({@code ocular.log})
 * @param thumbnailsDir thumbnail cache
 * @param modelsDir     the model store (imported and downloaded models)
 * @param catalogFile   the SQLite catalog
 * @param catalogUrl    a shared library on a PostgreSQL server ({@code jdbc:postgresql:...}) used instead of
 *                      {@code catalogFile}, or null; chosen by {@code --catalog} or {@value #CATALOG_ENV}
 */
public record AppPaths(Path dataDir, Path logsDir, Path thumbnailsDir, Path modelsDir, Path catalogFile,
                       String catalogUrl) {

    /** System property read by logback.xml for the log folder. */
    public static final String LOG_DIR_PROPERTY = "ocular.log.dir";
    public static final String HOME_ENV = "OCULAR_HOME";
    public static final String CATALOG_ENV = "OCULAR_CATALOG";

    /** The standard layout under {@code dataDir}. */
    public static AppPaths under(Path dataDir) {
        Path d = dataDir.toAbsolutePath().normalize();
        return new AppPaths(d, d.resolve("logs"), d.resolve("thumbnails"), d.resolve("models"), d.resolve("catalog.db"),
                null);
    }

    /**
     * The same layout with the catalog chosen by {@code catalogOption} ({@code --catalog}), else {@value #CATALOG_ENV}:
     * a {@code jdbc:postgresql:} URL opens a shared library, a file path another SQLite catalog; null and blank
     * keep {@code catalog.db} in the data folder.
     */
    public AppPaths withCatalog(String catalogOption, Map<String, String> env) {
        String c = catalogOption != null && !catalogOption.isBlank() ? catalogOption.trim() : env.get(CATALOG_ENV);
        if (c == null || c.isBlank()) {
            return this;
        }
        if (c.regionMatches(true, 0, "jdbc:", 0, 5) || c.contains("://")) {
            if (!c.regionMatches(true, 0, "jdbc:postgresql:", 0, 16) && !c.regionMatches(true, 0, "postgres", 0, 8)) {
                throw new OcularException("Unsupported catalog '" + c.replaceAll("(?i)password=[^&]*", "password=***")
                        + "': use a catalog file or a shared library at jdbc:postgresql://HOST:PORT/DATABASE.");
            }
            return new AppPaths(dataDir, logsDir, thumbnailsDir, modelsDir, catalogFile, c);
        }
        return new AppPaths(dataDir, logsDir, thumbnailsDir, modelsDir, path(c, "--catalog").toAbsolutePath().normalize(),
                null);
    }

    /** The shared library's URL when the catalog is on a server. */
    public Optional<String> sharedCatalog() {
        return Optional.ofNullable(catalogUrl);
    }

    /** Resolves the data directory for this process (real environment, OS and home folder). */
    public static AppPaths resolve(String dataDirOption) {
        return resolve(dataDirOption, null);
    }

    /** As {@link #resolve(String)}, with the catalog from {@code --catalog} or {@value #CATALOG_ENV}. */
    public static AppPaths resolve(String dataDirOption, String catalogOption) {
        return resolve(dataDirOption, System.getenv(), System.getProperty("os.name", ""),
                System.getProperty("user.home", ".")).withCatalog(catalogOption, System.getenv());
    }

    /**
     * Resolves the data directory from explicit inputs (testable without touching the real environment).
     *
     * @param dataDirOption the {@code --data-dir} value, or null
     * @param env           environment variables
     * @param osName        the {@code os.name} system property
     * @param userHome      the {@code user.home} system property
     */
    public static AppPaths resolve(String dataDirOption, Map<String, String> env, String osName, String userHome) {
        if (dataDirOption != null && !dataDirOption.isBlank()) {
            return under(path(dataDirOption, "--data-dir"));
        }
        String home = env.get(HOME_ENV);
        if (home != null && !home.isBlank()) {
            return under(path(home, HOME_ENV));
        }
        return under(platformDefault(env, osName, userHome));
    }

    static Path platformDefault(Map<String, String> env, String osName, String userHome) {
        String os = osName.toLowerCase(Locale.ROOT);
        Path homeDir = Path.of(userHome);
        if (os.startsWith("windows")) {
            String appData = env.get("APPDATA");
            Path base = appData != null && !appData.isBlank() ? Path.of(appData)
                    : homeDir.resolve("AppData").resolve("Roaming");
            return base.resolve("Ocular");
        }
        if (os.startsWith("mac") || os.startsWith("darwin")) {
            return homeDir.resolve("Library").resolve("Application Support").resolve("Ocular");
        }
        String xdg = env.get("XDG_DATA_HOME");
        // The XDG spec says relative values are invalid and must be ignored.
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg).resolve("ocular");
        }
        return homeDir.resolve(".local").resolve("share").resolve("ocular");
    }

    /** The same layout but with another model store (evaluation runs in a throwaway data dir with the user's models). */
    public AppPaths withModelsDir(Path models) {
        return new AppPaths(dataDir, logsDir, thumbnailsDir, models.toAbsolutePath().normalize(), catalogFile,
                catalogUrl);
    }

    /** Creates the folders (not the catalog file). */
    public AppPaths createDirectories() {
        for (Path p : new Path[] {dataDir, logsDir, thumbnailsDir, modelsDir}) {
            try {
                Files.createDirectories(p);
            } catch (IOException e) {
                throw new OcularException("Cannot create the folder " + p + " (" + e.getMessage()
                        + "); choose another data folder with --data-dir or OCULAR_HOME.", e);
            }
        }
        return this;
    }

    /**
     * Points logging at {@link #logsDir()}. Must run before the first logger is created (logback reads the
     * property once, when it starts).
     */
    public void configureLogging() {
        System.setProperty(LOG_DIR_PROPERTY, logsDir.toString());
    }

    private static Path path(String value, String source) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new OcularException("Invalid data folder from " + source + ": " + value);
        }
    }
}

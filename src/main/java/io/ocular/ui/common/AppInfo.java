package io.ocular.ui.common;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What "About Ocular" and "Show logs" tell: the version, the data folder and the logs folder.
 *
 * @param version the release ("1.0.0"), or "dev" when run from classes
 */
public record AppInfo(String version, Path dataDir, Path logsDir) {
    public AppInfo {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(logsDir, "logsDir");
    }

    /** For windows built without an engine (demos, tests that do not look at it). */
    public static AppInfo unknown() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        return new AppInfo("dev", tmp, tmp);
    }
}

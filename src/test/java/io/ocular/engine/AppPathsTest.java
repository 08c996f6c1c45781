package io.ocular.engine;

import io.ocular.model.OcularException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AppPathsTest {
    private static final String HOME = "/home/ann";

    @Test
    void optionBeatsEnvironmentBeatsPlatformDefault() {
        Map<String, String> env = Map.of("OCULAR_HOME", "/srv/ocular", "XDG_DATA_HOME", "/xdg");
        assertThat(AppPaths.resolve("/tmp/d", env, "Linux", HOME).dataDir()).isEqualTo(Path.of("/tmp/d"));
        assertThat(AppPaths.resolve(null, env, "Linux", HOME).dataDir()).isEqualTo(Path.of("/srv/ocular"));
        assertThat(AppPaths.resolve("  ", env, "Linux", HOME).dataDir()).isEqualTo(Path.of("/srv/ocular"));
        assertThat(AppPaths.resolve(null, Map.of("XDG_DATA_HOME", "/xdg"), "Linux", HOME).dataDir())
                .isEqualTo(Path.of("/xdg/ocular"));
    }

    @Test
    void linuxFallsBackToLocalShareAndIgnoresRelativeXdg() {
        Path expected = Path.of(HOME, ".local", "share", "ocular");
        assertThat(AppPaths.resolve(null, Map.of(), "Linux", HOME).dataDir()).isEqualTo(expected);
        assertThat(AppPaths.resolve(null, Map.of("XDG_DATA_HOME", "rel/dir"), "Linux", HOME).dataDir())
                .isEqualTo(expected);
    }

    @Test
    void windowsUsesAppData() {
        String appData = Path.of("/c/Users/ann/AppData/Roaming").toString();
        assertThat(AppPaths.platformDefault(Map.of("APPDATA", appData), "Windows 11", HOME))
                .isEqualTo(Path.of(appData, "Ocular"));
        assertThat(AppPaths.platformDefault(Map.of(), "Windows 10", HOME))
                .isEqualTo(Path.of(HOME, "AppData", "Roaming", "Ocular"));
    }

    @Test
    void macUsesApplicationSupport() {
        assertThat(AppPaths.platformDefault(Map.of("XDG_DATA_HOME", "/xdg"), "Mac OS X", HOME))
                .isEqualTo(Path.of(HOME, "Library", "Application Support", "Ocular"));
    }

    @Test
    void layoutUnderTheDataDirectory() {
        AppPaths p = AppPaths.under(Path.of("/data/o/../ocular"));
        assertThat(p.dataDir()).isEqualTo(Path.of("/data/ocular"));
        assertThat(p.logsDir()).isEqualTo(Path.of("/data/ocular/logs"));
        assertThat(p.thumbnailsDir()).isEqualTo(Path.of("/data/ocular/thumbnails"));
        assertThat(p.modelsDir()).isEqualTo(Path.of("/data/ocular/models"));
        assertThat(p.catalogFile()).isEqualTo(Path.of("/data/ocular/catalog.db"));
        assertThat(p.withModelsDir(Path.of("/elsewhere/models")).modelsDir()).isEqualTo(Path.of("/elsewhere/models"));
    }

    @Test
    void createsItsFoldersOrSaysWhyNot(@TempDir Path tmp) throws Exception {
        AppPaths p = AppPaths.under(tmp.resolve("home")).createDirectories();
        assertThat(p.logsDir()).isDirectory();
        assertThat(p.modelsDir()).isDirectory();
        assertThat(p.thumbnailsDir()).isDirectory();
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        assertThatThrownBy(() -> AppPaths.under(file).createDirectories()).isInstanceOf(OcularException.class)
                .hasMessageContaining("Cannot create the folder").hasMessageContaining("--data-dir");
    }

    @Test
    void configureLoggingSetsTheLogbackProperty() {
        String before = System.getProperty(AppPaths.LOG_DIR_PROPERTY);
        try {
            AppPaths.under(Path.of("/data/x")).configureLogging();
            assertThat(System.getProperty(AppPaths.LOG_DIR_PROPERTY)).isEqualTo(Path.of("/data/x/logs").toString());
        } finally {
            if (before == null) {
                System.clearProperty(AppPaths.LOG_DIR_PROPERTY);
            } else {
                System.setProperty(AppPaths.LOG_DIR_PROPERTY, before);
            }
        }
    }
}

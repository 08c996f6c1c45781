package io.ocular.app;

import io.ocular.ui.common.UiSettings;

import java.nio.file.Path;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;

/** {@link UiSettings} in java.util.prefs, one node per data directory (so two libraries keep their own). */
final class PrefsUiSettings implements UiSettings {
    /**
     * The JDK's preferences log "Created user preferences directory." at INFO on the console the first time a
     * user runs any Java program that uses them: on a fresh computer that line came before Ocular's own first
     * message (e.g. the one-paragraph "cannot open its window"). Only warnings pass now. Held here because
     * java.util.logging keeps loggers only weakly.
     */
    private static final Logger JDK_PREFS_LOG = quietJdkPrefsLog();

    private final Preferences node;

    PrefsUiSettings(Preferences node) {
        this.node = node;
    }

    private static Logger quietJdkPrefsLog() {
        Logger log = Logger.getLogger("java.util.prefs");
        log.setLevel(Level.WARNING);
        return log;
    }

    static PrefsUiSettings forDataDir(Path dataDir) {
        String key = Integer.toHexString(dataDir.toAbsolutePath().normalize().toString().hashCode());
        return new PrefsUiSettings(Preferences.userRoot().node("io/ocular/desktop/" + key));
    }

    @Override
    public Optional<String> get(String key) {
        try {
            return Optional.ofNullable(node.get(key, null));
        } catch (IllegalStateException e) {
            return Optional.empty();
        }
    }

    @Override
    public void put(String key, String value) {
        try {
            node.put(key, value);
            node.flush();
        } catch (BackingStoreException | IllegalStateException e) {
            // Preferences are a convenience; failing to store the window size must never break the app.
        }
    }
}

package io.ocular.app;

import io.ocular.ui.common.UiSettings;

import java.nio.file.Path;
import java.util.Optional;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;

/** {@link UiSettings} in java.util.prefs, one node per data directory (so two libraries keep their own). */
final class PrefsUiSettings implements UiSettings {
    private final Preferences node;

    PrefsUiSettings(Preferences node) {
        this.node = node;
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

package io.ocular.ui.common;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Small persistent UI state (window geometry, dismissed offers). The app backs it with java.util.prefs. */
public interface UiSettings {
    Optional<String> get(String key);

    void put(String key, String value);

    /** Keeps values in memory only (tests, or when preferences cannot be written). */
    static UiSettings inMemory() {
        Map<String, String> map = new ConcurrentHashMap<>();
        return new UiSettings() {
            @Override
            public Optional<String> get(String key) {
                return Optional.ofNullable(map.get(key));
            }

            @Override
            public void put(String key, String value) {
                map.put(key, value);
            }
        };
    }
}

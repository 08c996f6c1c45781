package io.ocular.app;

import io.ocular.ui.common.UiSettings;

import java.util.Locale;
import java.util.Optional;

/**
 * The main window's remembered geometry, stored as "x,y,width,height,maximized". Restored only when it
 * still fits on one of the screens (a monitor may have been unplugged).
 */
record WindowState(double x, double y, double width, double height, boolean maximized) {
    static final String KEY = "window.geometry";
    static final WindowState DEFAULT = new WindowState(Double.NaN, Double.NaN, 1280, 820, false);

    String encode() {
        return String.format(Locale.ROOT, "%.0f,%.0f,%.0f,%.0f,%b", x, y, width, height, maximized);
    }

    static Optional<WindowState> decode(String s) {
        if (s == null) {
            return Optional.empty();
        }
        String[] p = s.split(",");
        if (p.length != 5) {
            return Optional.empty();
        }
        try {
            WindowState w = new WindowState(Double.parseDouble(p[0]), Double.parseDouble(p[1]),
                    Double.parseDouble(p[2]), Double.parseDouble(p[3]), Boolean.parseBoolean(p[4]));
            return w.width >= 400 && w.height >= 300 && w.width < 20_000 && w.height < 20_000
                    ? Optional.of(w) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    static WindowState load(UiSettings settings) {
        return settings.get(KEY).flatMap(WindowState::decode).orElse(DEFAULT);
    }

    void save(UiSettings settings) {
        settings.put(KEY, encode());
    }
}

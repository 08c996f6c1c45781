package io.ocular.ui.common;

import java.util.Locale;

/**
 * The window's language as chosen in Settings: the system's, or English or Korean whatever the system says.
 * Stored in {@link UiSettings} under {@link #KEY}; read once at start, so a change takes effect on restart.
 */
public enum UiLanguage {
    SYSTEM(null), ENGLISH(Locale.ENGLISH), KOREAN(Locale.KOREAN);

    public static final String KEY = "ui.language";

    private final Locale locale;

    UiLanguage(Locale locale) {
        this.locale = locale;
    }

    /** The locale the window uses: this language's, or {@code system} for {@link #SYSTEM}. */
    public Locale locale(Locale system) {
        return locale == null ? system : locale;
    }

    /** The saved choice; {@link #SYSTEM} when none or unreadable. */
    public static UiLanguage load(UiSettings settings) {
        return settings.get(KEY).map(UiLanguage::parse).orElse(SYSTEM);
    }

    public void save(UiSettings settings) {
        settings.put(KEY, name());
    }

    private static UiLanguage parse(String s) {
        try {
            return valueOf(s.strip());
        } catch (IllegalArgumentException e) {
            return SYSTEM;
        }
    }
}

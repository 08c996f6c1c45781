package io.ocular.ui.common;

import java.text.MessageFormat;
import java.text.NumberFormat;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.Objects;
import java.util.ResourceBundle;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The window's words in one language: the {@code io/ocular/ui/messages*.properties} bundles (UTF-8), with
 * {@link MessageFormat} patterns for numbers and plurals ({@code {0,choice,...}}, {@code {0,number,integer}})
 * formatted in the bundle's locale. Built once by the composition root and handed to every view and
 * ViewModel (no singleton); FXML reads the same bundle through {@code %key} ({@link #bundle()}).
 *
 * <p>Only the languages in {@link #SUPPORTED} have a bundle; any other locale gets English (the base
 * bundle). The JVM's default locale is never used as a fallback, so an English window on a Korean system
 * stays English.
 */
public final class Messages {
    public static final String BUNDLE = "io.ocular.ui.messages";
    /** Languages with a bundle; the first is the base bundle's. */
    public static final List<Locale> SUPPORTED = List.of(Locale.ENGLISH, Locale.KOREAN);

    private final ResourceBundle bundle;
    private final Locale locale;
    /** Parsed patterns by key: parsing a choice pattern is most of a format's cost (the grid formats many). */
    private final Map<String, MessageFormat> parsed = new ConcurrentHashMap<>();
    private final DateTimeFormatter dateFormat;
    private final DateTimeFormatter dateTimeFormat;

    private Messages(ResourceBundle bundle, Locale locale) {
        this.bundle = bundle;
        this.locale = locale;
        this.dateFormat = DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM).withLocale(locale);
        this.dateTimeFormat = DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT)
                .withLocale(locale);
    }

    /** The words for {@code locale}'s language, English when Ocular has none for it. */
    public static Messages of(Locale locale) {
        Objects.requireNonNull(locale, "locale");
        Locale language = SUPPORTED.stream().filter(l -> l.getLanguage().equals(locale.getLanguage()))
                .findFirst().orElse(Locale.ENGLISH);
        ResourceBundle b = ResourceBundle.getBundle(BUNDLE, language,
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
        return new Messages(b, language);
    }

    /** English (tests and demos that do not care about the language). */
    public static Messages english() {
        return of(Locale.ENGLISH);
    }

    /** The bundle, for {@code FXMLLoader.setResources}. */
    public ResourceBundle bundle() {
        return bundle;
    }

    /** The language the words are in (English or Korean). */
    public Locale locale() {
        return locale;
    }

    /**
     * The text of {@code key}; {@code !key!} when missing, never a crash. Every value is a {@link MessageFormat}
     * pattern (an apostrophe is written {@code ''}), so a text reads the same through {@code get} and
     * {@link #format}.
     */
    public String get(String key) {
        String pattern = raw(key);
        return pattern.indexOf('\'') < 0 && pattern.indexOf('{') < 0 ? pattern : format(key);
    }

    private String raw(String key) {
        try {
            return bundle.getString(key);
        } catch (MissingResourceException e) {
            return "!" + key + "!";
        }
    }

    /** {@code key}'s {@link MessageFormat} pattern with {@code args}, numbers and dates in this locale. */
    public String format(String key, Object... args) {
        String pattern = raw(key);
        try {
            MessageFormat f = parsed.computeIfAbsent(key, k -> new MessageFormat(pattern, locale));
            // a MessageFormat is not thread-safe (ViewModels format on background threads too): format a copy
            return ((MessageFormat) f.clone()).format(args);
        } catch (IllegalArgumentException e) {
            return pattern;
        }
    }

    /** "1,234" (grouped the locale's way). */
    public String number(long n) {
        return NumberFormat.getIntegerInstance(locale).format(n);
    }

    /** A decimal with {@code digits} fraction digits, the locale's way. */
    public String decimal(double v, int digits) {
        NumberFormat f = NumberFormat.getNumberInstance(locale);
        f.setMinimumFractionDigits(digits);
        f.setMaximumFractionDigits(digits);
        return f.format(v);
    }

    /** A date the locale's way ("Mar 15, 2024", "2024. 3. 15."). */
    public String date(Instant when, ZoneId zone) {
        return dateFormat.withZone(zone).format(when);
    }

    /** A date and time the locale's way ("Mar 15, 2024, 2:05 PM", "2024. 3. 15. 오후 2:05"). */
    public String dateTime(Instant when, ZoneId zone) {
        return dateTimeFormat.withZone(zone).format(when);
    }

    /** "2.4 MB", "930 kB" (decimal units, as file managers show them), the number the locale's way. */
    public String bytes(long b) {
        if (b < 1_000) {
            return format("size.bytes", b);
        }
        if (b < 1_000_000) {
            return format("size.kb", Math.round(b / 1e3));
        }
        if (b < 1_000_000_000) {
            return format("size.mb", b / 1e6);
        }
        return format("size.gb", b / 1e9);
    }

    @Override
    public String toString() {
        return "Messages[" + locale + "]";
    }
}

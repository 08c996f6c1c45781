package io.ocular.ui.common;

import javafx.collections.ListChangeListener;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.text.Font;
import javafx.stage.Window;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The window's font for its language. JavaFX takes only the first family of a CSS {@code -fx-font-family} list
 * (a missing one means "System"), and its System font does not reach for a Hangul font on Linux (dialogs show
 * boxes), so the fallback list is walked here: for Korean, the first installed Korean UI font (Noto Sans CJK KR
 * from the .deb's recommended fonts-noto-cjk, then Nanum, Malgun Gothic on Windows, Apple SD Gothic Neo on
 * macOS, any other family that says it is Korean). With none installed, {@link #canShow} is false and the
 * launcher shows the window in English rather than in boxes. English keeps JavaFX's System font.
 */
public final class WindowFont {
    private static final List<String> KOREAN = List.of("Noto Sans CJK KR", "Noto Sans KR", "NanumGothic",
            "NanumBarunGothic", "Malgun Gothic", "Apple SD Gothic Neo", "UnDotum", "Baekmuk Gulim",
            "Source Han Sans K", "Source Han Sans KR");

    private WindowFont() {
    }

    /** The family to use for {@code locale} among {@code installed}; empty keeps the System font. */
    public static Optional<String> familyFor(Locale locale, Collection<String> installed) {
        if (!"ko".equals(locale.getLanguage())) {
            return Optional.empty();
        }
        return KOREAN.stream().filter(installed::contains).findFirst().or(() -> installed.stream()
                .filter(f -> f.endsWith(" KR") || f.contains("Korean") || f.contains("Hangul")).sorted().findFirst());
    }

    /** Whether the window's words in {@code locale} can be drawn with {@code installed} fonts. */
    public static boolean canShow(Locale locale, Collection<String> installed) {
        return !"ko".equals(locale.getLanguage()) || familyFor(locale, installed).isPresent();
    }

    /** Sets the family on one scene's root (sizes and weights stay the stylesheet's). */
    public static void apply(Parent root, Locale locale) {
        familyFor(locale, Font.getFamilies()).ifPresent(f -> style(root, f));
    }

    /**
     * Sets the family on every window of the application as it appears: the main window, dialogs (alerts are
     * windows of their own and do not inherit the main window's font) and popups. Call once, on the FX thread.
     */
    public static void install(Locale locale) {
        familyFor(locale, Font.getFamilies()).ifPresent(family -> {
            Window.getWindows().forEach(w -> follow(w, family));
            Window.getWindows().addListener((ListChangeListener<Window>) change -> {
                while (change.next()) {
                    change.getAddedSubList().forEach(w -> follow(w, family));
                }
            });
        });
    }

    private static void follow(Window window, String family) {
        styleScene(window.getScene(), family);
        window.sceneProperty().addListener((obs, old, scene) -> styleScene(scene, family));
    }

    private static void styleScene(Scene scene, String family) {
        if (scene != null && scene.getRoot() != null) {
            style(scene.getRoot(), family);
        }
    }

    private static void style(Parent root, String family) {
        String rule = "-fx-font-family: \"" + family + "\";";
        String old = root.getStyle() == null ? "" : root.getStyle();
        if (!old.contains(rule)) {
            root.setStyle(old.isBlank() ? rule : old + " " + rule);
        }
    }
}

package io.ocular.ui.common;

import javafx.scene.Parent;
import javafx.scene.text.Font;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The window's font for its language. JavaFX takes only the first family of a CSS {@code -fx-font-family} list
 * (a missing one means "System"), so the fallback list is walked here: for Korean, the first installed Korean
 * UI font (Noto Sans CJK KR from the .deb's recommended fonts-noto-cjk, then Nanum, Malgun Gothic on Windows,
 * Apple SD Gothic Neo on macOS). With none installed the window keeps JavaFX's System font, whose fontconfig
 * fallback still draws Hangul from any font that has it; English keeps System.
 */
public final class WindowFont {
    private static final List<String> KOREAN = List.of("Noto Sans CJK KR", "Noto Sans KR", "NanumGothic",
            "NanumBarunGothic", "Malgun Gothic", "Apple SD Gothic Neo", "UnDotum", "Baekmuk Gulim");

    private WindowFont() {
    }

    /** The family to use for {@code locale} among {@code installed}; empty keeps the System font. */
    public static Optional<String> familyFor(Locale locale, Collection<String> installed) {
        if (!"ko".equals(locale.getLanguage())) {
            return Optional.empty();
        }
        return KOREAN.stream().filter(installed::contains).findFirst();
    }

    /** Sets the family on the window's root (sizes and weights stay the stylesheet's). */
    public static void apply(Parent root, Locale locale) {
        familyFor(locale, Font.getFamilies()).ifPresent(f -> root.setStyle("-fx-font-family: \"" + f + "\";"));
    }
}

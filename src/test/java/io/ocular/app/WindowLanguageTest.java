package io.ocular.app;

import io.ocular.ui.common.Messages;
import io.ocular.ui.common.UiLanguage;
import io.ocular.ui.common.UiSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** The launcher picks the window's words from Settings, else from the system. */
class WindowLanguageTest {
    Locale before;

    @BeforeEach
    void remember() {
        before = Locale.getDefault();
    }

    @AfterEach
    void restore() {
        Locale.setDefault(before);
    }

    @Test
    void theSystemLanguageWhenNoneIsChosen() {
        Locale.setDefault(Locale.KOREA);
        Messages m = DesktopMain.windowLanguage(UiSettings.inMemory());
        assertThat(m.locale()).isEqualTo(Locale.KOREAN);
        assertThat(m.get("tab.search")).isEqualTo("검색");
        Locale.setDefault(Locale.FRANCE);
        assertThat(DesktopMain.windowLanguage(UiSettings.inMemory()).get("tab.search"))
                .as("a language Ocular has no words for").isEqualTo("Search");
        assertThat(Locale.getDefault()).isEqualTo(Locale.FRANCE);
    }

    @Test
    void aChosenLanguageWinsAndBecomesTheDefaultForJavaFxsOwnWords() {
        Locale.setDefault(Locale.US);
        UiSettings settings = UiSettings.inMemory();
        UiLanguage.KOREAN.save(settings);
        assertThat(DesktopMain.windowLanguage(settings).get("tab.search")).isEqualTo("검색");
        assertThat(Locale.getDefault().getLanguage()).isEqualTo("ko");
        UiLanguage.ENGLISH.save(settings);
        Locale.setDefault(Locale.KOREA);
        assertThat(DesktopMain.windowLanguage(settings).get("tab.search")).isEqualTo("Search");
        assertThat(Locale.getDefault().getLanguage()).isEqualTo("en");
    }
}

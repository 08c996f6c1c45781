package io.ocular.ui;

import io.ocular.ui.common.Messages;
import javafx.scene.Parent;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An English window stays English, even on a JVM whose default locale is Korean (the bundle never falls back
 * to the default locale), and its words fit at the default size too.
 */
@ExtendWith(ApplicationExtension.class)
class EnglishWindowFxTest {
    @RegisterExtension
    final FxExceptionGuard guard = new FxExceptionGuard();

    @TempDir
    static Path tmp;
    UiHarness h;
    Stage stage;
    Locale before;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        before = Locale.getDefault();
        Locale.setDefault(Locale.KOREA);
        h = new UiHarness(tmp.resolve("photos"), 12, Messages.of(Locale.ENGLISH));
        h.show(stage, KoreanWindowFxTest.WIDTH, KoreanWindowFxTest.HEIGHT);
    }

    @AfterEach
    void close() {
        Locale.setDefault(before);
        h.close();
    }

    @Test
    void anEnglishWindowShowsEnglishOnAKoreanSystem(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> h.vm.search().results().size() == 12);
        TabPane tabs = robot.lookup(".tab-pane").queryAs(TabPane.class);
        assertThat(tabs.getTabs().stream().map(Tab::getText))
                .containsExactly("Search", "Compose", "Duplicates", "Models & settings");
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < tabs.getTabs().size(); i++) {
            int tab = i;
            robot.interact(() -> tabs.getSelectionModel().select(tab));
            WaitForAsyncUtils.waitForFxEvents();
            Parent root = stage.getScene().getRoot();
            WindowText.truncated(root).forEach(s -> problems.add("cut short: " + s));
            WindowText.rawKeys(root).forEach(s -> problems.add("missing key: " + s));
            WindowText.shown(root).stream().filter(s -> s.text().codePoints()
                            .anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HANGUL))
                    .forEach(s -> problems.add("Korean in an English window: " + s));
        }
        assertThat(problems).isEmpty();
        assertThat(robot.lookup("#emptyHint").tryQuery()).isPresent();
        assertThat(h.vm.search().statusProperty().get()).isEqualTo("All photos · 12 photos");
    }
}

package io.ocular.ui;

import io.ocular.ui.common.Messages;
import javafx.scene.Parent;
import io.ocular.ui.common.WindowFont;
import io.ocular.ui.fakes.FakeTextModels;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
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

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The main screens under Korean at the default window size (1280 × 820): every tab, with a library, search
 * results, a photo in the viewer, duplicate groups and the model list showing. No label is cut short, none
 * sticks out of the window, no key is missing, and no English word of the window is left.
 */
@ExtendWith(ApplicationExtension.class)
class KoreanWindowFxTest {
    /** WindowState.DEFAULT, the size a first start opens at. */
    static final double WIDTH = 1280;
    static final double HEIGHT = 820;
    /** English a Korean window still shows: file and model names, units, technical words. */
    private static final Pattern ALLOWED_LATIN = Pattern.compile(
            "[\\w-]+\\.(png|jpg)|CLIP ViT-B/32|Photo model: MobileNetV2|Built-in colour & texture|Ocular|EXIF|ISO"
                    + "|Test camera|Enter|Esc|English|px|MB|GB|kB|ms|photos|[A-Z]:"
                    + "|PostgreSQL|PGPASSFILE|PGPASSWORD|psql|pgpass");

    @RegisterExtension
    final FxExceptionGuard guard = new FxExceptionGuard();

    @TempDir
    static Path tmp;
    UiHarness h;
    Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        h = new UiHarness(tmp.resolve("사진"), 16, Messages.of(Locale.KOREAN));
        h.show(stage, WIDTH, HEIGHT);
    }

    @AfterEach
    void close() {
        h.close();
    }

    static void waitFor(Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, condition);
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** Korean text is measured with a real Hangul font; without one (no fonts-noto-cjk) widths mean nothing. */
    static boolean hangulFontInstalled() {
        try {
            Process p = new ProcessBuilder("fc-list", ":lang=ko", "family").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            return p.waitFor() == 0 && !out.isBlank();
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void everyMainScreenFitsInKoreanWithNoKeyMissing(FxRobot robot) throws Exception {
        assumeTrue(hangulFontInstalled(), "no Hangul font installed (fonts-noto-cjk): Korean widths cannot be judged");
        TabPane tabs = robot.lookup(".tab-pane").queryAs(TabPane.class);
        waitFor(() -> h.vm.search().results().size() == 16);
        // CLIP with the multilingual companion installed: "검색어: [다국어 ▾]" beside the search bar
        h.textModels.choices = List.of(FakeTextModels.CLIP, FakeTextModels.MULTILINGUAL);
        h.textModels.current = FakeTextModels.MULTILINGUAL.id();
        robot.interact(() -> h.vm.textModels().refresh());
        waitFor(() -> h.vm.textModels().availableProperty().get());
        // search results with feedback, one photo in the viewer
        robot.interact(() -> {
            h.vm.search().queryTextProperty().set("바닷가의 강아지");
            h.vm.search().searchText();
        });
        waitFor(() -> !h.vm.search().browsingProperty().get() && !h.vm.search().results().isEmpty());
        robot.interact(() -> h.vm.search().click(0, false, false));
        waitFor(() -> !h.vm.viewer().details().isEmpty());
        List<String> problems = new ArrayList<>();
        check("검색", problems);
        // the other tabs, each with something in it
        robot.interact(() -> tabs.getSelectionModel().select(1));
        robot.interact(() -> h.vm.composeFrom(h.vm.search().results().get(0)));
        WaitForAsyncUtils.waitForFxEvents();
        check("조합 검색", problems);
        robot.interact(() -> tabs.getSelectionModel().select(2));
        robot.interact(() -> h.vm.duplicates().scan());
        waitFor(() -> !h.vm.duplicates().busyProperty().get());
        check("중복 사진", problems);
        robot.interact(() -> tabs.getSelectionModel().select(3));
        waitFor(() -> !h.vm.models().entries().isEmpty());
        check("모델 및 설정", problems);
        assertThat(problems).as("Korean window at %s × %s", WIDTH, HEIGHT).isEmpty();

        @SuppressWarnings("unchecked")
        var box = (javafx.scene.control.ComboBox<io.ocular.ui.common.TextModels.Choice>) robot.lookup("#textModelBox")
                .query();
        assertThat(box.getConverter().toString(box.getValue())).isEqualTo("다국어");
        assertThat(tabs.getTabs().stream().map(Tab::getText)).containsExactly("검색", "조합 검색", "중복 사진", "모델 및 설정");
        assertThat(robot.lookup(".section-title").queryAllAs(Label.class).stream().map(Label::getText))
                .contains("보관함", "색인");
    }

    @Test
    void dialogsGetTheKoreanFontToo(FxRobot robot) {
        assumeTrue(hangulFontInstalled(), "no Hangul font installed (fonts-noto-cjk)");
        String[] style = new String[1];
        robot.interact(() -> {
            WindowFont.install(Locale.KOREAN);
            Alert about = new Alert(Alert.AlertType.INFORMATION, "정보", ButtonType.CLOSE);
            about.show();
            style[0] = about.getDialogPane().getScene().getRoot().getStyle();
            about.close();
        });
        assertThat(style[0]).as("an alert is a window of its own: without the font it shows boxes")
                .contains("-fx-font-family");
    }

    private void check(String screen, List<String> problems) {
        WaitForAsyncUtils.waitForFxEvents();
        Parent root = stage.getScene().getRoot();
        root.applyCss();
        root.layout();
        WindowText.truncated(root).forEach(s -> problems.add(screen + ": cut short: " + s));
        WindowText.outsideWindow(root).forEach(s -> problems.add(screen + ": outside the window: " + s));
        WindowText.rawKeys(root).forEach(s -> problems.add(screen + ": missing key: " + s));
        for (WindowText.Shown s : WindowText.shown(root)) {
            String rest = ALLOWED_LATIN.matcher(s.text()).replaceAll("");
            if (rest.matches("(?s).*[A-Za-z]{3,}.*") && !s.isFileName()) {
                problems.add(screen + ": English left: " + s);
            }
        }
    }
}

package io.ocular.ui.settings;

import io.ocular.search.IndexChoice;
import io.ocular.ui.FxExceptionGuard;
import io.ocular.ui.common.AppInfo;
import io.ocular.ui.common.IndexSettings;
import io.ocular.ui.common.InstanceSearchSwitch;
import io.ocular.ui.common.Notifications;
import io.ocular.ui.common.UiExecutors;
import io.ocular.ui.common.UiSettings;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Settings page as a user sees and clicks it: instance search, the index (automatic / exact / compact, and what
 * is in use), thumbnail size, the data folder with its size (measured off the FX thread) and the logs folder
 * opened with a button (the path handed over as a path, never through a shell).
 */
@ExtendWith(ApplicationExtension.class)
class SettingsViewFxTest {
    @RegisterExtension
    final FxExceptionGuard guard = new FxExceptionGuard();

    @TempDir
    static Path data;
    final ExecutorService background = Executors.newFixedThreadPool(2);
    final List<String> openedOn = new CopyOnWriteArrayList<>();
    final List<Path> opened = new CopyOnWriteArrayList<>();
    final List<String> measuredOn = new CopyOnWriteArrayList<>();
    volatile boolean instanceOn;
    volatile IndexChoice choice = IndexChoice.AUTO;
    SettingsViewModel vm;

    @Start
    void start(Stage stage) throws IOException {
        Files.write(data.resolve("catalog.db"), new byte[2_500_000]);
        Files.createDirectories(data.resolve("logs"));
        Files.write(data.resolve("logs/ocular.log"), new byte[500]);
        InstanceSearchSwitch instance = new InstanceSearchSwitch() {
            @Override
            public boolean isOn() {
                return instanceOn;
            }

            @Override
            public void set(boolean on) {
                instanceOn = on;
            }
        };
        IndexSettings index = new IndexSettings() {
            @Override
            public IndexChoice choice() {
                measuredOn.add(Thread.currentThread().getName());
                return choice;
            }

            @Override
            public void choose(IndexChoice c) {
                choice = c;
            }

            @Override
            public String inUse() {
                return choice == IndexChoice.EXACT ? "exact (chosen in Settings)" : "exact";
            }
        };
        vm = new SettingsViewModel(UiSettings.inMemory(), new AppInfo("test", data, data.resolve("logs")), f -> {
            openedOn.add(Thread.currentThread().getName());
            opened.add(f);
            return true;
        }, instance, index, new UiExecutors(background, Platform::runLater), new Notifications());
        stage.setScene(new Scene(new SettingsView(vm).root(), 900, 400));
        stage.getScene().getStylesheets().add(getClass().getResource("/io/ocular/app/ocular.css").toExternalForm());
        vm.refresh();
        stage.show();
    }

    @AfterEach
    void stop() {
        background.shutdownNow();
    }

    static void waitFor(Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, condition);
        WaitForAsyncUtils.waitForFxEvents();
    }

    private static String text(FxRobot robot, String id) {
        return robot.lookup(id).queryAs(Label.class).getText();
    }

    @Test
    void everyRowShowsAndWorks(FxRobot robot) throws Exception {
        // the data folder with its size, measured in the background; where the logs are
        waitFor(() -> text(robot, "#dataFolderSize").equals("2.5 MB in 2 files"));
        assertThat(text(robot, "#dataFolder")).isEqualTo(data.toString());
        assertThat(text(robot, "#logsFolder")).isEqualTo(data.resolve("logs").toString());
        robot.clickOn("Show logs");
        waitFor(() -> opened.size() == 1);
        assertThat(opened).containsExactly(data.resolve("logs"));
        assertThat(openedOn.get(0)).as("opened off the FX thread").doesNotContain("JavaFX Application Thread");

        // the index: automatic, then exact, and the line says what is in use
        @SuppressWarnings("unchecked")
        ComboBox<IndexChoice> index = robot.lookup("#indexChoice").queryAs(ComboBox.class);
        waitFor(() -> text(robot, "#indexInUse").equals("In use: exact search"));
        assertThat(index.getValue()).isEqualTo(IndexChoice.AUTO);
        assertThat(measuredOn).noneMatch(t -> t.contains("JavaFX Application Thread"));
        robot.clickOn(index);
        robot.clickOn("Exact (compares every photo)");
        waitFor(() -> choice == IndexChoice.EXACT);
        waitFor(() -> robot.lookup("#indexInUse").queryAs(Label.class).getTooltip().getText()
                .equals("exact (chosen in Settings)"));
        assertThat(text(robot, "#indexInUse")).isEqualTo("In use: exact search");

        // instance search and thumbnail size
        robot.clickOn("#instanceSearch");
        waitFor(() -> instanceOn);
        assertThat(robot.lookup("#instanceSearch").queryAs(CheckBox.class).isSelected()).isTrue();
        Slider size = robot.lookup("#thumbnailSize").queryAs(Slider.class);
        robot.interact(() -> size.setValue(240));
        assertThat(vm.thumbnailSizeProperty().get()).isEqualTo(240);
    }
}

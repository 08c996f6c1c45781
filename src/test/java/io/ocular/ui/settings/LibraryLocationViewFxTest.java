package io.ocular.ui.settings;

import io.ocular.model.OcularException;
import io.ocular.ui.FxExceptionGuard;
import io.ocular.ui.common.LibraryLocations;
import io.ocular.ui.common.Messages;
import io.ocular.ui.common.Notifications;
import io.ocular.ui.common.UiExecutors;
import io.ocular.ui.common.UiSettings;
import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.image.WritableImage;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Settings → Library location as a user clicks it: this computer or a shared server, "Test connection" showing
 * what was found or the clear message of what is wrong (tested off the FX thread), and "Save" keeping a URL with no
 * password for the next start.
 */
@ExtendWith(ApplicationExtension.class)
class LibraryLocationViewFxTest {
    @RegisterExtension
    final FxExceptionGuard guard = new FxExceptionGuard();

    final ExecutorService background = Executors.newFixedThreadPool(2);
    final List<String> tested = new CopyOnWriteArrayList<>();
    final List<String> testedOn = new CopyOnWriteArrayList<>();
    final UiSettings settings = UiSettings.inMemory();
    LibraryLocationViewModel vm;

    @Start
    void start(Stage stage) {
        LibraryLocations locations = new LibraryLocations() {
            @Override
            public String inUse() {
                return "SQLite file /home/me/.ocular/catalog.db";
            }

            @Override
            public String test(String url) {
                tested.add(url);
                testedOn.add(Thread.currentThread().getName());
                if (url.contains("//nas.local:")) {
                    return "shared library: ocular on nas.local:5432 as anna; vectors: pgvector 0.8.0";
                }
                throw new OcularException("Wrong password for 'anna' on wrong.local:5432. Check PGPASSWORD or your"
                        + " password file (~/.pgpass, or the file PGPASSFILE names).");
            }
        };
        vm = new LibraryLocationViewModel(settings, locations, new UiExecutors(background, Platform::runLater),
                new Notifications(), Messages.english());
        stage.setScene(new Scene(new LibraryLocationView(vm, Messages.english()).root(), 900, 360));
        stage.getScene().getStylesheets().add(getClass().getResource("/io/ocular/app/ocular.css").toExternalForm());
        stage.show();
    }

    @AfterEach
    void stop() {
        background.shutdownNow();
    }

    private static String text(FxRobot robot, String id) {
        return robot.lookup(id).queryAs(Label.class).getText();
    }

    private static void waitFor(FxRobot robot, String id, String prefix) throws Exception {
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> text(robot, id).startsWith(prefix));
        WaitForAsyncUtils.waitForFxEvents();
    }

    private static void type(FxRobot robot, String id, String value) {
        TextField f = robot.lookup(id).queryAs(TextField.class);
        robot.interact(() -> f.setText(""));
        robot.clickOn(f).write(value);
    }

    /** What a person sees, in target/screenshots (looked at when the page changes). */
    private static void screenshot(FxRobot robot, String name) throws IOException {
        Path dir = Files.createDirectories(Path.of("target/screenshots"));
        WritableImage[] shot = new WritableImage[1];
        robot.interact(() -> shot[0] = robot.lookup("#libraryResult").query().getScene().snapshot(null));
        ImageIO.write(SwingFXUtils.fromFXImage(shot[0], null), "png", dir.resolve(name + ".png").toFile());
    }

    @Test
    void choosingTestingAndSavingASharedServer(FxRobot robot) throws Exception {
        waitFor(robot, "#libraryInUse", "In use now: SQLite file");
        assertThat(robot.lookup("#libraryLocal").queryAs(RadioButton.class).isSelected()).isTrue();
        assertThat(robot.lookup("#libraryHost").queryAs(TextField.class).isDisabled()).isTrue();
        assertThat(robot.lookup("#libraryTest").queryButton().isDisabled()).isTrue();

        robot.clickOn("#libraryShared");
        assertThat(robot.lookup("#libraryHost").queryAs(TextField.class).isDisabled()).isFalse();
        robot.clickOn("#libraryTest"); // no server typed yet
        waitFor(robot, "#libraryResult", "Type the server's name or address.");
        assertThat(tested).isEmpty();

        type(robot, "#libraryHost", "wrong.local");
        type(robot, "#libraryUser", "anna");
        robot.clickOn("#libraryTest");
        waitFor(robot, "#libraryResult", "Wrong password for 'anna'");
        assertThat(text(robot, "#libraryResult")).contains("~/.pgpass");

        type(robot, "#libraryHost", "nas.local");
        type(robot, "#libraryPort", "54x");
        robot.clickOn("#libraryTest");
        waitFor(robot, "#libraryResult", "The port must be a number (got 54x).");
        type(robot, "#libraryPort", "5432");
        robot.clickOn("#libraryTest");
        waitFor(robot, "#libraryResult", "Connected: shared library: ocular on nas.local");
        assertThat(tested).last().isEqualTo("jdbc:postgresql://nas.local:5432/ocular?user=anna");
        assertThat(testedOn).noneMatch(t -> t.contains("JavaFX Application Thread"));
        screenshot(robot, "library-location");

        robot.clickOn("#librarySave");
        waitFor(robot, "#libraryResult", "The library will be the shared one at");
        assertThat(settings.get(LibraryLocations.SETTING)).contains("jdbc:postgresql://nas.local:5432/ocular?user=anna");
        assertThat(settings.get(LibraryLocations.SETTING).orElseThrow()).doesNotContainIgnoringCase("password");

        // a new window reads the saved choice back
        LibraryLocationViewModel again = new LibraryLocationViewModel(settings, LibraryLocations.unavailable(),
                new UiExecutors(background, Platform::runLater), new Notifications(), Messages.english());
        assertThat(again.sharedProperty().get()).isTrue();
        assertThat(again.url()).isEqualTo("jdbc:postgresql://nas.local:5432/ocular?user=anna");

        robot.clickOn("#libraryLocal");
        robot.clickOn("#librarySave");
        waitFor(robot, "#libraryResult", "The library will be on this computer from the next start.");
        assertThat(settings.get(LibraryLocations.SETTING)).contains("");
    }
}

package io.ocular.ui.indexing;

import io.ocular.engine.CodeTraining.Phase;
import io.ocular.engine.CodeTraining.Status;
import io.ocular.engine.CodeTraining.Verdict;
import io.ocular.ui.FxExceptionGuard;
import io.ocular.ui.common.Messages;
import io.ocular.ui.common.Notifications;
import io.ocular.ui.common.UiExecutors;
import io.ocular.ui.fakes.FakeCodeTraining;
import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.image.WritableImage;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

/** The indexing panel's codes row as a user clicks it: Train, progress from the training thread, Stop, the verdict. */
@ExtendWith(ApplicationExtension.class)
class CodeTrainingViewFxTest {
    @RegisterExtension
    final FxExceptionGuard guard = new FxExceptionGuard();

    final ExecutorService background = Executors.newFixedThreadPool(2);
    final FakeCodeTraining training = new FakeCodeTraining();
    CodeTrainingViewModel vm;

    @Start
    void start(Stage stage) {
        vm = new CodeTrainingViewModel(training, new UiExecutors(background, Platform::runLater), new Notifications(),
                Messages.english(), IndexingViewModel.UI_UPDATE_GAP);
        stage.setScene(new Scene(new CodeTrainingView(vm, Messages.english()).root(), 320, 200));
        stage.getScene().getStylesheets().add(getClass().getResource("/io/ocular/app/ocular.css").toExternalForm());
        vm.refresh();
        stage.show();
    }

    @AfterEach
    void stop() {
        background.shutdownNow();
    }

    private static String state(FxRobot robot) {
        return robot.lookup("#codesState").queryAs(Label.class).getText();
    }

    private static void waitFor(FxRobot robot, String prefix) throws Exception {
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> state(robot).startsWith(prefix));
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void trainShowsProgressStopStopsAndTheVerdictIsShown(FxRobot robot) throws Exception {
        waitFor(robot, "Not trained yet");
        assertThat(robot.lookup("#codesStop").queryButton().isVisible()).isFalse();
        robot.clickOn("#codesTrain");
        waitFor(robot, "Preparing views: 0 / 300 photos");
        assertThat(training.starts).isEqualTo(1);
        Thread trainer = new Thread(() -> {
            for (int i = 1; i <= 300; i++) {
                training.publish(new Status("fake", Phase.PREPARING, i, 300, 0, 30, Double.NaN, null, false, null));
            }
            for (int e = 1; e <= 4; e++) {
                training.publish(new Status("fake", Phase.TRAINING, 0, 0, e, 30, 5.0 - e, null, false, null));
            }
        });
        trainer.start();
        trainer.join();
        waitFor(robot, "Training: epoch 4 of 30");
        // 304 reports from the training thread reached the FX thread as a few coalesced updates
        assertThat(vm.updatesApplied()).isLessThan(30);
        assertThat(robot.lookup("#codesProgress").queryAs(ProgressBar.class).getProgress()).isCloseTo(4 / 30.0, offset(1e-9));
        assertThat(robot.lookup("#codesTrain").queryButton().isDisabled()).isTrue();
        screenshot(robot, "code-training");

        robot.clickOn("#codesStop");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> training.cancels == 1);
        training.publish(new Status("fake", Phase.CANCELLED, 0, 0, 0, 30, Double.NaN, null, false, "cancelled"));
        waitFor(robot, "Stopped; Train resumes");
        assertThat(robot.lookup("#codesTrain").queryButton().isDisabled()).isFalse();

        training.publish(new Status("fake", Phase.DONE, 0, 0, 30, 30, Double.NaN, new Verdict(0.7, 0.6, 80, true), true,
                "done"));
        waitFor(robot, "In use: SPQ beat PQ on your photos (0.700 vs 0.600, 80 held-out photos).");
        Button train = robot.lookup("#codesTrain").queryButton();
        assertThat(train.getText()).isEqualTo("Train");
    }

    /** What a person sees, in target/screenshots. */
    private static void screenshot(FxRobot robot, String name) throws IOException {
        Path dir = Files.createDirectories(Path.of("target/screenshots"));
        WritableImage[] shot = new WritableImage[1];
        robot.interact(() -> shot[0] = robot.lookup("#codesState").query().getScene().snapshot(null));
        ImageIO.write(SwingFXUtils.fromFXImage(shot[0], null), "png", dir.resolve(name + ".png").toFile());
    }
}

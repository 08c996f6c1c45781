package io.ocular.ui.indexing;

import io.ocular.engine.CodeTraining.Phase;
import io.ocular.engine.CodeTraining.Status;
import io.ocular.ui.FxTestBase;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.control.Label;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;

import javax.imageio.ImageIO;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The codes row sits in the window's indexing panel, under the indexing progress, and starts training there. */
class CodeTrainingWindowFxTest extends FxTestBase {

    @Start
    void start(Stage stage) {
        showWindow(stage);
    }

    @Test
    void theIndexingPanelOffersTrainingAndShowsItsProgress(FxRobot robot) throws Exception {
        waitFor(() -> robot.lookup("#codesState").queryAs(Label.class).getText().startsWith("Not trained yet"));
        assertThat(robot.lookup("#indexingView").tryQuery()).isPresent();
        robot.clickOn("#codesTrain");
        waitFor(() -> h.codeTraining.starts == 1);
        h.codeTraining.publish(new Status("fake", Phase.TRAINING, 0, 0, 2, 30, 3.5, null, false, null));
        waitFor(() -> robot.lookup("#codesState").queryAs(Label.class).getText().equals(
                "Training: epoch 2 of 30 (loss 3.500)"));
        Path dir = Files.createDirectories(Path.of("target/screenshots"));
        WritableImage[] shot = new WritableImage[1];
        robot.interact(() -> shot[0] = robot.lookup("#codesState").query().getScene().snapshot(null));
        ImageIO.write(SwingFXUtils.fromFXImage(shot[0], null), "png", dir.resolve("window-code-training.png").toFile());
    }
}

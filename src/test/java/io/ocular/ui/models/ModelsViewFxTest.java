package io.ocular.ui.models;

import io.ocular.ui.FxTestBase;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.testfx.framework.junit5.Start;
import org.testfx.api.FxRobot;

import static org.assertj.core.api.Assertions.assertThat;

class ModelsViewFxTest extends FxTestBase {

    @Start
    void start(Stage stage) {
        showWindow(stage);
    }

    @Test
    void firstRunOffersThePhotoModelWhichOneClickInstallsAndActivatesThenCliStaysOfferedForWords(FxRobot robot)
            throws Exception {
        waitFor(() -> robot.lookup("#photoOfferBar").query().isVisible());
        assertThat(robot.lookup("#photoOfferLabel").queryLabeled().getText())
                .isEqualTo("Photo model, 3.7 MB — better similar-photo search");
        assertThat(robot.lookup("#offerBar").query().isVisible()).as("one offer at a time").isFalse();

        robot.clickOn("#photoOfferAccept");

        waitFor(() -> h.vm.models().activeNameProperty().get().equals("Photo model: MobileNetV2"));
        waitFor(() -> robot.lookup("#offerBar").query().isVisible());
        assertThat(robot.lookup("#photoOfferBar").query().isVisible()).isFalse();
        assertThat(robot.lookup("#offerBar .label").queryLabeled().getText()).contains("338 MB").contains("search by words");
    }

    @Test
    void firstRunOfferAndOfflineDownloadPointsAtImport(FxRobot robot) throws Exception {
        waitFor(() -> robot.lookup("#photoOfferBar").query().isVisible());
        robot.clickOn("#photoOfferBar .flat"); // "Not now": the CLIP offer comes next
        waitFor(() -> robot.lookup("#offerBar").query().isVisible());
        assertThat(robot.lookup("#offerBar .label").queryLabeled().getText()).contains("338 MB").contains("search by words");
        h.models.network = false;
        robot.clickOn("#offerAccept");
        waitFor(() -> h.vm.models().offlineProperty().get());
        assertThat(robot.lookup(".notification-bar .label").queryLabeled().getText()).startsWith("No network");
        assertThat(robot.lookup(".warning").query().isVisible()).isTrue();

        h.models.network = true;
        robot.clickOn("Download");
        waitFor(() -> h.vm.models().entries().get(1).installed());
        robot.clickOn("Use this model");
        waitFor(() -> h.vm.models().activeNameProperty().get().equals("CLIP ViT-B/32"));
    }
}

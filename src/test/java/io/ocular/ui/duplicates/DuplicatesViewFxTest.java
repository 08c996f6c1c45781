package io.ocular.ui.duplicates;

import io.ocular.ui.FxTestBase;
import javafx.scene.control.CheckBox;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.testfx.framework.junit5.Start;
import org.testfx.api.FxRobot;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class DuplicatesViewFxTest extends FxTestBase {

    @Start
    void start(Stage stage) {
        showWindow(stage);
    }

    @Test
    void findTickConfirmTrash(FxRobot robot) throws Exception {
        // Two near-identical vectors among the fakes' images.
        long folder = h.lib.folderId;
        var a = h.lib.catalog.addImage(folder, tmp.resolve("photos/beach-01.png"), new float[] {0.6f, 0.8f});
        var b = h.lib.catalog.addImage(folder, tmp.resolve("photos/beach-05.png"), new float[] {0.6001f, 0.7999f});
        robot.interact(() -> h.vm.duplicates().thresholdProperty().set(0.999));
        robot.clickOn("Duplicates");
        robot.clickOn("Find duplicates");
        waitFor(() -> !h.vm.duplicates().groups().isEmpty());
        assertThat(h.vm.duplicates().groups().get(0).members()).extracting(DuplicatesViewModel.Member::id)
                .contains(a.id(), b.id());

        h.answerConfirmations = false;
        robot.clickOn("Move ticked to trash…");
        waitFor(() -> robot.lookup(".notification-bar .label").queryLabeled().getText().contains("Tick the copies"));
        assertThat(h.confirmations).isEmpty();

        robot.clickOn(robot.lookup(".dup-member .check-box").nth(1).queryAs(CheckBox.class));
        robot.clickOn("Move ticked to trash…");
        waitFor(() -> h.confirmations.size() == 1);
        assertThat(h.trashed).isEmpty();

        h.answerConfirmations = true;
        robot.clickOn("Move ticked to trash…");
        waitFor(() -> h.trashed.size() == 1);
        Path gone = h.trashed.get(0);
        assertThat(gone.getFileName().toString()).isIn("beach-01.png", "beach-05.png");
        waitFor(() -> h.lib.indexer.commands.contains("rescan"));
    }
}

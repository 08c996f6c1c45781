package io.ocular.ui.compose;

import io.ocular.model.Query;
import io.ocular.ui.FxTestBase;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Node;
import javafx.scene.image.WritableImage;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ToggleButton;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import org.controlsfx.control.GridCell;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.testfx.framework.junit5.Start;
import org.testfx.api.FxRobot;

import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import static org.assertj.core.api.Assertions.assertThat;

class ComposeViewFxTest extends FxTestBase {

    @Start
    void start(Stage stage) {
        showWindow(stage);
    }

    @Test
    void twoTurnsThenStepBackThroughTheBreadcrumb(FxRobot robot) throws Exception {
        robot.clickOn("Compose");
        robot.clickOn("#composeView .button.accent");
        waitFor(() -> robot.lookup(".notification-bar .label").queryLabeled().getText().startsWith("Pick a reference"));

        // Reference from a main-search result, via "Compose from this".
        robot.press(KeyCode.CONTROL, KeyCode.F).release(KeyCode.F, KeyCode.CONTROL);
        robot.write("city").type(KeyCode.ENTER);
        waitFor(() -> !h.vm.search().results().isEmpty());
        robot.interact(() -> h.vm.search().click(0, false, false));
        robot.clickOn("Compose from this");
        waitFor(() -> h.vm.compose().referenceProperty().get() != null);

        robot.clickOn("#composeView .text-field").write("at night").type(KeyCode.ENTER);
        waitFor(() -> h.vm.compose().history().size() == 1);
        Query.Composed first = (Query.Composed) h.lib.search.queries.get(h.lib.search.queries.size() - 1);
        assertThat(first.modification()).isEqualTo("at night");

        Node third = robot.lookup((Node n) -> n instanceof GridCell<?> c && !c.isEmpty() && c.getIndex() == 2
                && c.getParent() != null && isInside(n, "composeGrid")).query();
        robot.doubleClickOn(third, MouseButton.PRIMARY);
        waitFor(() -> h.vm.compose().modificationProperty().get().isEmpty());
        robot.write("in snow").type(KeyCode.ENTER);
        waitFor(() -> h.vm.compose().history().size() == 2);
        Query.Composed second = (Query.Composed) h.lib.search.queries.get(h.lib.search.queries.size() - 1);
        assertThat(second.reference()).isEqualTo(new Query.ByImage(h.vm.compose().history().get(0).hits().get(2).imageId()));

        assertThat(robot.lookup(".crumb").queryAll()).hasSize(2);
        robot.clickOn((Node) robot.lookup(".crumb").match((ToggleButton b) -> b.getText().startsWith("1.")).query());
        waitFor(() -> h.vm.compose().currentTurnProperty().get() == 0);
        assertThat(h.vm.compose().modificationProperty().get()).isEqualTo("at night");
        assertThat(h.vm.compose().results()).isEqualTo(h.vm.compose().history().get(0).hits());
    }

    /** A composed result's menu → "✓ Good match": the mark is kept (reference, words, weight) and shows. */
    @Test
    void aResultIsMarkedAGoodMatchFromItsMenuAndShowsItsBadge(FxRobot robot) throws Exception {
        robot.clickOn("Compose");
        robot.press(KeyCode.CONTROL, KeyCode.F).release(KeyCode.F, KeyCode.CONTROL);
        robot.write("city").type(KeyCode.ENTER);
        waitFor(() -> !h.vm.search().results().isEmpty());
        robot.interact(() -> h.vm.search().click(0, false, false));
        robot.clickOn("Compose from this");
        waitFor(() -> h.vm.compose().referenceProperty().get() != null);
        robot.clickOn("#composeView .text-field").write("at night").type(KeyCode.ENTER);
        waitFor(() -> h.vm.compose().history().size() == 1);

        Node second = robot.lookup((Node n) -> n instanceof GridCell<?> c && !c.isEmpty() && c.getIndex() == 1
                && c.getParent() != null && isInside(n, "composeGrid")).query();
        // the cell's own menu item, fired as a click on it would (menu windows are not reliably found headless)
        MenuItem good = ((GridCell<?>) second).getContextMenu().getItems().stream()
                .filter(i -> "markGood".equals(i.getId())).findFirst().orElseThrow();
        assertThat(good.getText()).isEqualTo("✓ Good match");
        robot.interact(good::fire);
        long target = h.vm.compose().history().get(0).hits().get(1).imageId();
        waitFor(() -> Boolean.TRUE.equals(h.vm.compose().marks().get(target)));
        assertThat(h.composeLearning.calls).hasSize(1);
        assertThat(h.composeLearning.calls.get(0).targetId()).isEqualTo(target);
        assertThat(h.composeLearning.calls.get(0).words()).isEqualTo("at night");
        waitFor(() -> robot.lookup(".mark-good").tryQuery().map(Node::isVisible).orElse(false));
        assertThat(robot.lookup(".mark-good").queryLabeled().getText()).isEqualTo("✓");
        waitFor(() -> robot.lookup(".notification-bar .label").queryLabeled().getText().startsWith("Kept. 1 of 100"));
        screenshot(robot, second, "compose-marked.png");

        // Settings → Composed search shows the marks (a refresh follows every kept mark)
        robot.clickOn("Models & settings");
        waitFor(() -> robot.lookup("#composerDetails").queryLabeled().getText().startsWith("1 good-match"));
        assertThat(robot.lookup("#composerInUse").queryLabeled().getText())
                .isEqualTo("In use: the weighted sum of the image and the words");
        screenshot(robot, robot.lookup("#composerSettings").query(), "settings-composer.png");
    }

    /** The window as a person sees it, in target/screenshots (looked at while developing). */
    private static void screenshot(FxRobot robot, Node any, String name) throws Exception {
        WritableImage[] shot = new WritableImage[1];
        robot.interact(() -> shot[0] = any.getScene().snapshot(null));
        Path dir = Files.createDirectories(Path.of("target/screenshots"));
        ImageIO.write(SwingFXUtils.fromFXImage(shot[0], null), "png", dir.resolve(name).toFile());
    }

    static boolean isInside(Node n, String id) {
        for (Node p = n; p != null; p = p.getParent()) {
            if (id.equals(p.getId())) {
                return true;
            }
        }
        return false;
    }
}

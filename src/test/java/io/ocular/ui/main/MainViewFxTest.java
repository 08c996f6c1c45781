package io.ocular.ui.main;

import io.ocular.model.Query;
import io.ocular.ui.FxExceptionGuard;
import io.ocular.ui.UiHarness;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.image.ImageView;
import javafx.scene.input.KeyCode;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(ApplicationExtension.class)
class MainViewFxTest {
    @RegisterExtension
    final FxExceptionGuard guard = new FxExceptionGuard();

    @TempDir
    static Path tmp;
    UiHarness h;

    @Start
    void start(Stage stage) {
        h = new UiHarness(tmp.resolve("photos"), 24);
        h.show(stage, 1100, 700);
    }

    @AfterEach
    void close() {
        h.close();
    }

    static void waitFor(Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, condition);
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** The grid's first photo on screen (not one in a row the grid keeps hidden for reuse). */
    static javafx.scene.Node firstCell(FxRobot robot) {
        return robot.lookup((javafx.scene.Node n) -> n instanceof ResultCell c && !c.isEmpty() && c.getIndex() == 0
                && MonthHeadersFxTest.isShown(c)).query();
    }

    String notification(FxRobot robot) {
        Label label = robot.lookup(".notification-bar .label").queryAs(Label.class);
        return label.isVisible() && label.getParent().isVisible() ? label.getText() : "";
    }

    @Test
    void droppingAFolderAddsItToTheLibrary(FxRobot robot) throws Exception {
        Path trips = Files.createDirectories(tmp.resolve("trips"));
        ListView<?> folders = robot.lookup(".sidebar .list-view").queryAs(ListView.class);
        waitFor(() -> folders.getItems().size() == 1);
        robot.interact(() -> h.view.handleDrop(List.of(trips), folders));
        waitFor(() -> folders.getItems().size() == 2);
        assertThat(h.lib.indexer.commands).contains("add " + trips);
        assertThat(notification(robot)).contains("Added trips");
    }

    @Test
    void withNoFoldersTheEmptyGridInvitesDroppingOneAndADropThereAddsIt(FxRobot robot) throws Exception {
        ListView<?> folders = robot.lookup(".sidebar .list-view").queryAs(ListView.class);
        waitFor(() -> folders.getItems().size() == 1);
        Label hint = robot.lookup("#emptyHint").queryAs(Label.class);
        assertThat(hint.getText()).startsWith("No photos here yet");
        robot.interact(() -> h.vm.library().remove(h.vm.library().folders().get(0)));
        waitFor(() -> folders.getItems().isEmpty());
        assertThat(hint.isVisible()).isTrue();
        assertThat(hint.getText()).startsWith("Drop folders of photos here");
        Path holiday = Files.createDirectories(tmp.resolve("holiday"));
        robot.interact(() -> h.view.handleDrop(List.of(holiday), hint));
        waitFor(() -> folders.getItems().size() == 1);
        assertThat(h.lib.indexer.commands).contains("add " + holiday);
    }

    @Test
    void searchByWordsShowsTheGridAndTheViewer(FxRobot robot) throws Exception {
        robot.clickOn("#searchField").write("horse").type(KeyCode.ENTER);
        waitFor(() -> h.vm.search().results().size() == 24);
        assertThat(h.lib.search.queries).containsExactly(new Query.ByText("horse"));
        robot.clickOn(firstCell(robot));
        waitFor(() -> h.vm.viewer().itemProperty().get() != null);
        assertThat(h.vm.viewer().itemProperty().get().hit().path().getFileName().toString()).startsWith("horse");
        waitFor(() -> robot.lookup(".viewer-path").queryAs(Label.class).getText().contains("horse"));
        waitFor(() -> !h.vm.viewer().details().isEmpty());
        assertThat(robot.lookup(".details .label").queryAll()).isNotEmpty();
        // Ctrl+F then Esc twice: clear selection, then leave the results for the library (all 24 photos).
        robot.press(KeyCode.CONTROL, KeyCode.F).release(KeyCode.F, KeyCode.CONTROL);
        assertThat(robot.lookup("#searchField").queryAs(TextField.class).isFocused()).isTrue();
        robot.type(KeyCode.ESCAPE).type(KeyCode.ESCAPE);
        waitFor(() -> h.vm.search().browsingProperty().get() && h.vm.search().chipProperty().get() == null);
        waitFor(() -> h.vm.search().results().size() == 24);
    }

    @Test
    void aFeedbackRoundWithKeysAndRefine(FxRobot robot) throws Exception {
        robot.clickOn("#searchField").write("beach").type(KeyCode.ENTER);
        waitFor(() -> !h.vm.search().results().isEmpty());
        robot.clickOn(firstCell(robot));
        robot.type(KeyCode.MINUS);
        waitFor(() -> h.vm.search().results().get(0).getMark() == Mark.NOT_RELEVANT);
        long rejected = h.vm.search().results().get(0).id();
        assertThat(robot.lookup(".badge").queryAll().stream().anyMatch(javafx.scene.Node::isVisible)).isTrue();
        robot.press(KeyCode.CONTROL, KeyCode.R).release(KeyCode.R, KeyCode.CONTROL);
        waitFor(() -> h.lib.search.queries.size() == 2);
        assertThat(h.lib.search.queries.get(1)).isInstanceOf(Query.Refined.class);
        waitFor(() -> h.vm.search().results().stream().noneMatch(r -> r.id() == rejected));
        robot.clickOn("Undo round");
        waitFor(() -> h.lib.search.queries.size() == 3);
        assertThat(h.lib.search.queries.get(2)).isEqualTo(new Query.ByText("beach"));
    }

    @Test
    void errorsAreInlineNotDialogs(FxRobot robot, @TempDir Path dir) throws Exception {
        h.lib.search.failTextWith("Searching by words needs CLIP; get it under Models & settings.");
        robot.clickOn("#searchField").write("dog").type(KeyCode.ENTER);
        waitFor(() -> notification(robot).contains("needs CLIP"));
        Path doc = Files.writeString(dir.resolve("notes.txt"), "x");
        robot.interact(() -> h.view.handleDrop(List.of(doc), robot.lookup("#searchField").query()));
        waitFor(() -> notification(robot).contains("notes.txt is not an image"));
        robot.interact(() -> h.view.handleDrop(List.of(dir.resolve("vanished.jpg")), robot.lookup("#searchField").query()));
        waitFor(() -> notification(robot).contains("is gone"));
        assertThat(robot.listWindows()).hasSize(1);
    }

    @Test
    void deleteRemovesAFolderOnlyAfterConfirmation(FxRobot robot) throws Exception {
        ListView<?> folders = robot.lookup(".sidebar .list-view").queryAs(ListView.class);
        waitFor(() -> folders.getItems().size() == 1);
        robot.clickOn(".sidebar .list-cell");
        h.answerConfirmations = false;
        robot.type(KeyCode.DELETE);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(h.confirmations).hasSize(1);
        assertThat(h.lib.indexer.commands).noneMatch(c -> c.startsWith("remove"));
        h.answerConfirmations = true;
        robot.type(KeyCode.DELETE);
        waitFor(() -> folders.getItems().isEmpty());
        assertThat(h.lib.indexer.commands).anyMatch(c -> c.startsWith("remove"));
    }

    @Test
    void aPhotoThatMatchedOnlyTurnedIsSuggestedUprightInTheViewerAndTheFileIsNotChanged(FxRobot robot)
            throws Exception {
        robot.clickOn("#searchField").write("horse").type(KeyCode.ENTER);
        waitFor(() -> h.vm.search().results().size() == 24);
        robot.clickOn(firstCell(robot));
        waitFor(() -> h.vm.viewer().itemProperty().get() != null);
        javafx.scene.Node suggestion = robot.lookup(".upright-suggestion").query();
        assertThat(suggestion.isVisible()).as("a word search turns nothing").isFalse();
        assertThat(h.lib.search.options).singleElement().matches(o -> !o.rotations(), "words are not turned");
        for (var item : h.vm.search().results()) {
            h.lib.search.sideways(item.id(), 1); // every photo matches the example only turned 90° clockwise
        }
        robot.clickOn("More like this");
        waitFor(() -> h.lib.search.queries.size() == 2);
        assertThat(h.lib.search.queries.get(1)).isInstanceOf(Query.ByImage.class);
        assertThat(h.lib.search.options.get(1).rotations()).as("an example photo is searched turned").isTrue();
        waitFor(() -> h.vm.search().results().size() > 1 && h.vm.search().results().get(0).turns() == 1);
        robot.clickOn(firstCell(robot));
        waitFor(() -> suggestion.isVisible());
        Path file = h.vm.viewer().itemProperty().get().path();
        byte[] before = Files.readAllBytes(file);
        assertThat(robot.lookup(".upright-suggestion .label").queryAs(Label.class).getText())
                .contains("looks sideways").contains("90°").contains("not changed");
        ImageView image = robot.lookup(".viewer-image-frame .image-view").queryAs(ImageView.class);
        assertThat(image.getRotate()).isZero();
        robot.clickOn("Rotate to upright");
        waitFor(() -> !suggestion.isVisible());
        assertThat(image.getRotate()).as("turned back a quarter turn").isEqualTo(270.0);
        assertThat(Files.readAllBytes(file)).as("the file is never changed").isEqualTo(before);
    }
}

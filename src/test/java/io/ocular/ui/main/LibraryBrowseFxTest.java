package io.ocular.ui.main;

import io.ocular.model.Query;
import io.ocular.ui.FxExceptionGuard;
import io.ocular.ui.UiHarness;
import javafx.scene.Node;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.MenuButton;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
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

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The window's library browsing and result narrowing, as a user clicks them: the grid opens on all photos
 * newest first with the month shown, a folder click shows that folder, a search shows its chip, results sort
 * by date and filter by folder, the chip's ✕ and Esc return to browsing.
 */
@ExtendWith(ApplicationExtension.class)
class LibraryBrowseFxTest {
    @RegisterExtension
    final FxExceptionGuard guard = new FxExceptionGuard();

    @TempDir
    static Path tmp;
    UiHarness h;
    Path trips;

    @Start
    void start(Stage stage) {
        h = new UiHarness(tmp.resolve("photos"), 8); // file time 1970: the oldest
        trips = h.addDatedFolder(tmp.resolve("trips"), "trip", Instant.parse("2022-07-01T10:00:00Z"),
                Instant.parse("2024-03-10T10:00:00Z"), Instant.parse("2023-12-24T10:00:00Z"));
        h.show(stage, 1200, 760);
    }

    @AfterEach
    void close() {
        h.close();
    }

    static void waitFor(Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, condition);
        WaitForAsyncUtils.waitForFxEvents();
    }

    private List<String> shown() {
        return h.vm.search().results().stream().map(r -> r.path().getFileName().toString()).toList();
    }

    private String status(FxRobot robot) {
        return robot.lookup("#statusLabel").queryAs(Label.class).getText();
    }

    @Test
    void theGridOpensOnAllPhotosNewestFirstWithTheMonthShown(FxRobot robot) throws Exception {
        waitFor(() -> h.vm.search().results().size() == 11);

        assertThat(shown().subList(0, 3)).containsExactly("trip-2.png", "trip-3.png", "trip-1.png");
        assertThat(robot.lookup("#allPhotosButton").queryAs(ToggleButton.class).isSelected()).isTrue();
        assertThat(status(robot)).isEqualTo("All photos · 11 photos");
        waitFor(() -> h.view.searchView().dateIndicator().text().equals("March 2024"));
        assertThat(robot.lookup("#queryChip").query().isVisible()).isFalse();
        @SuppressWarnings("unchecked")
        ComboBox<ResultView.Order> sort = robot.lookup("#sortBox").queryAs(ComboBox.class);
        assertThat(sort.getItems()).as("no best match while browsing").containsExactly(ResultView.Order.NEWEST,
                ResultView.Order.OLDEST);
        assertThat(sort.getValue()).isEqualTo(ResultView.Order.NEWEST);
        robot.interact(() -> sort.getSelectionModel().select(ResultView.Order.OLDEST));
        waitFor(() -> h.vm.search().results().get(0).path().getFileName().toString().startsWith("beach"));
    }

    @Test
    void aClickOnAFolderShowsThatFolderAndAllPhotosComesBack(FxRobot robot) throws Exception {
        waitFor(() -> h.vm.search().results().size() == 11);

        robot.clickOn(folderCell(robot, "trips"));

        waitFor(() -> h.vm.search().results().size() == 3);
        assertThat(shown()).containsExactly("trip-2.png", "trip-3.png", "trip-1.png");
        assertThat(status(robot)).isEqualTo("trips · 3 photos");
        assertThat(robot.lookup("#allPhotosButton").queryAs(ToggleButton.class).isSelected()).isFalse();

        robot.clickOn("#allPhotosButton");
        waitFor(() -> h.vm.search().results().size() == 11);
        assertThat(status(robot)).isEqualTo("All photos · 11 photos");
    }

    @Test
    void aSearchShowsItsChipSortsByDateFiltersByFolderAndTheChipLeadsBack(FxRobot robot) throws Exception {
        waitFor(() -> h.vm.search().results().size() == 11);
        robot.clickOn("#searchField").write("beach").type(KeyCode.ENTER);
        waitFor(() -> !h.vm.search().browsingProperty().get() && h.vm.search().results().size() == 11);
        assertThat(robot.lookup("#queryChip").query().isVisible()).isTrue();
        assertThat(robot.lookup("#queryChipLabel").queryAs(Label.class).getText()).isEqualTo("“beach”");
        assertThat(shown().get(0)).startsWith("beach");

        @SuppressWarnings("unchecked")
        ComboBox<ResultView.Order> sort = robot.lookup("#sortBox").queryAs(ComboBox.class);
        assertThat(sort.getItems()).containsExactly(ResultView.Order.values());
        robot.interact(() -> sort.getSelectionModel().select(ResultView.Order.NEWEST));
        waitFor(() -> shown().get(0).equals("trip-2.png"));
        assertThat(h.view.searchView().dateIndicator().text()).isEqualTo("March 2024");

        MenuButton folders = robot.lookup("#folderFilter").queryAs(MenuButton.class);
        CheckMenuItem tripsOnly = (CheckMenuItem) folders.getItems().stream()
                .filter(i -> i.getText().equals("trips")).findFirst().orElseThrow();
        robot.interact(() -> tripsOnly.setSelected(true));
        waitFor(() -> h.vm.search().results().size() == 3);
        assertThat(folders.getText()).isEqualTo("In trips");
        assertThat(status(robot)).startsWith("3 results · ");
        assertThat(robot.lookup("#clearFilters").query().isVisible()).isTrue();
        assertThat(h.lib.search.queries).as("sorting does not search again; a folder searches within it").hasSize(2);
        assertThat(h.lib.search.options.get(1).scope().folders()).containsExactly(trips);

        robot.clickOn("#clearFilters");
        waitFor(() -> h.vm.search().results().size() == 11);
        robot.clickOn("#queryChipClose");
        waitFor(() -> h.vm.search().browsingProperty().get());
        assertThat(robot.lookup("#queryChip").query().isVisible()).isFalse();
        assertThat(robot.lookup("#searchField").queryAs(TextField.class).getText()).isEmpty();
    }

    @Test
    void moreLikeThisStartsFromABrowsedPhotoWithItsThumbnailInTheChipAndEscReturns(FxRobot robot) throws Exception {
        waitFor(() -> h.vm.search().results().size() == 11);
        robot.clickOn(MainViewFxTest.firstCell(robot));
        waitFor(() -> h.vm.viewer().itemProperty().get() != null);
        ResultItem first = h.vm.search().focusedProperty().get();
        assertThat(first.path().getFileName().toString()).isEqualTo("trip-2.png");

        robot.type(KeyCode.ENTER); // More like this, from the grid

        waitFor(() -> !h.vm.search().browsingProperty().get());
        assertThat(h.lib.search.queries).containsExactly(new Query.ByImage(first.id()));
        assertThat(robot.lookup("#queryChipLabel").queryAs(Label.class).getText()).isEqualTo("trip-2.png");
        ImageView thumb = robot.lookup("#queryChip .image-view").queryAs(ImageView.class);
        assertThat(thumb.isVisible()).isTrue();
        waitFor(() -> thumb.getImage() != null && thumb.getImage().getProgress() >= 1.0 && !thumb.getImage().isError());

        robot.type(KeyCode.ESCAPE).type(KeyCode.ESCAPE);
        waitFor(() -> h.vm.search().browsingProperty().get() && h.vm.search().results().size() == 11);
        assertThat(shown().get(0)).isEqualTo("trip-2.png");
    }

    private static Node folderCell(FxRobot robot, String name) {
        return robot.lookup((Node n) -> n instanceof ListCell<?> c && c.getItem() instanceof FolderItem f
                && f.name().equals(name)).query();
    }
}

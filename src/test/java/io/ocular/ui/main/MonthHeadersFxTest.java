package io.ocular.ui.main;

import io.ocular.ui.FxExceptionGuard;
import io.ocular.ui.UiHarness;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
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
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Month headers in the window's grid, as a user sees them: on all photos newest first, on one folder, on
 * results sorted by date and not on results in relevance order; arrow keys step over them; Esc from the
 * grid leaves the results for browsing.
 */
@ExtendWith(ApplicationExtension.class)
class MonthHeadersFxTest {
    @RegisterExtension
    final FxExceptionGuard guard = new FxExceptionGuard();

    @TempDir
    static Path tmp;
    UiHarness h;

    @Start
    void start(Stage stage) {
        h = new UiHarness(tmp.resolve("photos"), 8); // no date: file time 1970, shown last as "Date unknown"
        h.addDatedFolder(tmp.resolve("trips"), "trip", Instant.parse("2022-07-01T10:00:00Z"),
                Instant.parse("2024-03-10T10:00:00Z"), Instant.parse("2023-12-24T10:00:00Z"),
                Instant.parse("2024-03-02T10:00:00Z"));
        h.addDatedFolder(tmp.resolve("party"), "party", Instant.parse("2023-12-31T22:00:00Z"));
        h.show(stage, 1200, 760);
    }

    @AfterEach
    void close() {
        h.close();
    }

    /** Generous: the machine these run on may be busy. */
    static void waitFor(Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, condition);
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** The month headers on screen, top to bottom. */
    private static List<String> headersShown(FxRobot robot) {
        return robot.lookup(".month-header").queryAllAs(Label.class).stream()
                .filter(l -> l.isVisible() && l.getScene() != null && isShown(l))
                .sorted(Comparator.comparingDouble(l -> l.localToScene(0, 0).getY()))
                .map(Label::getText).toList();
    }

    /** The month headers of the grid's rows model, top to bottom (on screen or not). */
    private List<String> headers() {
        return h.view.grid().rows().rows().stream().filter(r -> r instanceof GridRows.Header)
                .map(r -> ((GridRows.Header) r).label()).toList();
    }

    /** Whether {@code n} is on screen: it and its parents visible, not in an empty (spare) row. */
    static boolean isShown(Node n) {
        for (Node p = n; p != null; p = p.getParent()) {
            if (!p.isVisible() || (p instanceof ListCell<?> c && c.isEmpty())) {
                return false;
            }
        }
        return true;
    }

    @Test
    void allPhotosShowsAHeaderPerMonthNewestFirstWithThePhotosUnderTheirMonth(FxRobot robot) throws Exception {
        waitFor(() -> h.vm.search().results().size() == 13);
        waitFor(() -> headersShown(robot).size() >= 3);

        assertThat(headers()).containsExactly("March 2024", "December 2023", "July 2022", "Date unknown");
        assertThat(headersShown(robot)).as("on screen (the rest is below)")
                .containsExactly("March 2024", "December 2023", "July 2022");
        // trip-2 and trip-4 (March) sit between the March and December headers, on one row
        double march = headerY(robot, "March 2024");
        double december = headerY(robot, "December 2023");
        Bounds trip2 = cellBounds(robot, "trip-2.png");
        Bounds trip4 = cellBounds(robot, "trip-4.png");
        assertThat(trip2.getMinY()).isBetween(march, december);
        assertThat(trip4.getMinY()).isEqualTo(trip2.getMinY());
        assertThat(trip4.getMinX()).isGreaterThan(trip2.getMinX());
        // a month starts a new row: December's first photo is left-aligned with March's
        assertThat(cellBounds(robot, "party-1.png").getMinX()).isEqualTo(trip2.getMinX());
        assertThat(cellBounds(robot, "party-1.png").getMinY()).isGreaterThan(december);
        assertThat(h.view.grid().rows().rows().stream().filter(r -> r instanceof GridRows.Header)
                .map(r -> ((GridRows.Header) r).count())).containsExactly(2, 2, 1, 8);
        assertThat(robot.lookup(".month-count").queryAllAs(Label.class).stream().filter(MonthHeadersFxTest::isShown)
                .sorted(Comparator.comparingDouble(l -> l.localToScene(0, 0).getY())).map(Label::getText))
                .as("each header says how many photos its month has").containsExactly("2", "2", "1");
    }

    @Test
    void aFolderShowsOnlyItsMonths(FxRobot robot) throws Exception {
        waitFor(() -> h.vm.search().results().size() == 13);
        Node trips = robot.lookup((Node n) -> n instanceof ListCell<?> c && c.getItem() instanceof FolderItem f
                && f.name().equals("trips")).query();
        robot.clickOn(trips);

        waitFor(() -> h.vm.search().results().size() == 4);
        waitFor(() -> headersShown(robot).size() == 3);
        assertThat(headers()).containsExactly("March 2024", "December 2023", "July 2022");
        assertThat(headersShown(robot)).containsExactly("March 2024", "December 2023", "July 2022");
    }

    @Test
    void resultsHaveHeadersOnlyWhenSortedByDate(FxRobot robot) throws Exception {
        waitFor(() -> h.vm.search().results().size() == 13);
        robot.clickOn("#searchField").write("beach").type(KeyCode.ENTER);
        waitFor(() -> !h.vm.search().browsingProperty().get() && h.vm.search().results().size() == 13);
        waitFor(() -> headersShown(robot).isEmpty());
        assertThat(h.view.grid().rows().rows()).allMatch(r -> r instanceof GridRows.Photos);

        @SuppressWarnings("unchecked")
        ComboBox<ResultView.Order> sort = robot.lookup("#sortBox").queryAs(ComboBox.class);
        robot.interact(() -> sort.getSelectionModel().select(ResultView.Order.OLDEST));
        waitFor(() -> headers().size() == 4 && !headersShown(robot).isEmpty());
        assertThat(headers()).containsExactly("Date unknown", "July 2022", "December 2023", "March 2024");
        assertThat(headersShown(robot).get(0)).isEqualTo("Date unknown");
    }

    @Test
    void arrowKeysStepOverHeadersAndEscLeavesResultsForBrowsing(FxRobot robot) throws Exception {
        waitFor(() -> h.vm.search().results().size() == 13);
        robot.clickOn(cell(robot, "trip-4.png")); // March, second column
        waitFor(() -> h.vm.search().focusedProperty().get() != null);

        robot.type(KeyCode.DOWN); // over December's header, same column
        waitFor(() -> name(h.vm.search().focusedProperty().get()).equals("trip-3.png"));
        robot.type(KeyCode.DOWN); // July has one photo: its first
        waitFor(() -> name(h.vm.search().focusedProperty().get()).equals("trip-1.png"));
        robot.type(KeyCode.UP).type(KeyCode.UP); // first column from there on
        waitFor(() -> name(h.vm.search().focusedProperty().get()).equals("trip-2.png"));

        robot.type(KeyCode.ENTER); // More like this from a browsed photo
        waitFor(() -> !h.vm.search().browsingProperty().get());
        robot.clickOn(MainViewFxTest.firstCell(robot));
        robot.type(KeyCode.ESCAPE); // clears the selection
        waitFor(() -> h.vm.search().selectionCountProperty().get() == 0);
        assertThat(h.vm.search().browsingProperty().get()).isFalse();
        robot.type(KeyCode.ESCAPE); // back to browsing, headers again
        waitFor(() -> h.vm.search().browsingProperty().get() && h.vm.search().results().size() == 13);
        waitFor(() -> headers().size() == 4 && headersShown(robot).size() >= 3);
    }

    private double headerY(FxRobot robot, String text) {
        return robot.lookup(".month-header").queryAllAs(Label.class).stream().filter(l -> l.getText().equals(text))
                .filter(MonthHeadersFxTest::isShown).findFirst().orElseThrow().localToScene(0, 0).getY();
    }

    private static Node cell(FxRobot robot, String name) {
        return robot.lookup((Node n) -> n instanceof ResultCell c && !c.isEmpty() && c.getItem() != null
                && name(c.getItem()).equals(name) && isShown(c)).query();
    }

    private static Bounds cellBounds(FxRobot robot, String name) {
        Node c = cell(robot, name);
        return c.localToScene(c.getBoundsInLocal());
    }

    private static String name(ResultItem item) {
        return item == null ? "" : item.path().getFileName().toString();
    }
}

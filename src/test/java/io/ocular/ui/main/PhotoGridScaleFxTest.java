package io.ocular.ui.main;

import io.ocular.ui.FxExceptionGuard;
import io.ocular.ui.common.FxThumbnails;
import io.ocular.ui.common.Messages;
import io.ocular.ui.common.Notifications;
import io.ocular.ui.common.ThumbnailLoader;
import io.ocular.ui.common.UiExecutors;
import io.ocular.ui.fakes.Library;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.image.Image;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import static io.ocular.ui.main.MonthHeadersFxTest.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The photo grid over a 100,000-photo library: the rows model holds them all (with a header per month),
 * but only the rows on screen have nodes, at the top, after a jump to the bottom and after a resize.
 */
@ExtendWith(ApplicationExtension.class)
class PhotoGridScaleFxTest {
    private static final int N = 100_000;

    @RegisterExtension
    final FxExceptionGuard guard = new FxExceptionGuard();

    SearchViewModel search;
    PhotoGrid grid;
    Stage stage;
    final ThumbnailLoader<Image> thumbs = FxThumbnails.loader(null);

    @Start
    void start(Stage primary) {
        stage = new Stage(); // its own: the test resizes it, and the primary stage is shared with other tests
        Library lib = new Library(Path.of("/none"), 0);
        search = new SearchViewModel(lib.search, UiExecutors.direct(), new Notifications(), 100);
        grid = new PhotoGrid(search, thumbs, c -> { }, Messages.english());
        stage.setScene(new Scene(new StackPane(grid.node()), 1000, 700));
        stage.show();
    }

    @AfterEach
    void close() throws Exception {
        WaitForAsyncUtils.asyncFx(stage::hide).get();
        thumbs.close();
    }

    private long photoNodes(FxRobot robot) {
        return robot.lookup((Node n) -> n instanceof ResultCell).queryAll().size();
    }

    @Test
    void aHundredThousandPhotosMakeNodesOnlyForTheRowsOnScreen(FxRobot robot) throws Exception {
        List<LibraryBrowser.Photo> photos = new ArrayList<>(N);
        Instant newest = Instant.parse("2025-06-30T12:00:00Z");
        for (int i = 0; i < N; i++) { // one photo every 2 hours, back to 2002
            photos.add(new LibraryBrowser.Photo(i + 1, Path.of("/lib/p" + i + ".jpg"), newest.minusSeconds(7_200L * i)));
        }
        robot.interact(() -> search.showLibrary("All photos", photos));
        waitFor(() -> search.results().size() == N);

        GridRows rows = grid.rows();
        long headers = rows.rows().stream().filter(r -> r instanceof GridRows.Header).count();
        long months = photos.stream().map(p -> YearMonth.from(p.date().atZone(ZoneId.systemDefault()))).distinct().count();
        assertThat(headers).as("one per month").isEqualTo(months).isGreaterThan(270);
        assertThat(rows.rows()).hasSize((int) headers + rows.rows().stream()
                .filter(r -> r instanceof GridRows.Photos).mapToInt(r -> 1).sum());
        assertThat(rows.columns()).isBetween(4, 8);
        long atTop = photoNodes(robot);
        assertThat(atTop).as("photo nodes at the top").isPositive().isLessThan(100);

        robot.interact(() -> grid.flow().setPosition(1.0));
        waitFor(() -> grid.firstVisibleIndex() > N - 100);
        assertThat(robot.lookup((Node n) -> n instanceof ResultCell c && !c.isEmpty() && c.getIndex() == N - 1)
                .tryQuery()).as("the oldest photo is on screen at the bottom").isPresent();
        assertThat(photoNodes(robot)).as("photo nodes after a jump to the bottom").isLessThan(150);

        robot.interact(() -> stage.setWidth(600));
        waitFor(() -> grid.columns() < rows.columns());
        assertThat(grid.firstVisibleIndex()).as("a resize keeps the place").isGreaterThan(N - 200);
        assertThat(photoNodes(robot)).as("photo nodes after narrowing").isLessThan(150);

        // the grid model made items only for the pages shown (headers read dates from the table; issue 13)
        LibraryItems library = (LibraryItems) ((ResultList) search.results()).shown();
        assertThat(library.itemsHeld()).as("items held").isLessThanOrEqualTo(
                LibraryItems.CACHED_PAGES * LibraryItems.PAGE);
        assertThat(library.itemsMade()).as("items made for 100,000 photos").isLessThan(5 * LibraryItems.PAGE);
    }
}

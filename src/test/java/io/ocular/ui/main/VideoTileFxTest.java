package io.ocular.ui.main;

import io.ocular.model.SearchHit;
import io.ocular.ui.FxExceptionGuard;
import io.ocular.ui.common.FxThumbnails;
import io.ocular.ui.common.Messages;
import io.ocular.ui.common.Notifications;
import io.ocular.ui.common.ThumbnailLoader;
import io.ocular.ui.common.UiExecutors;
import io.ocular.ui.fakes.Library;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
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
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static io.ocular.ui.main.MonthHeadersFxTest.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The grid as drawn: a video's tile shows its play badge with its length ("▶ 1:05"), a search hit in a video
 * its moment too ("▶ 0:42 / 1:05"), and a photo's tile no badge (decision 0140).
 */
@ExtendWith(ApplicationExtension.class)
class VideoTileFxTest {
    @RegisterExtension
    final FxExceptionGuard guard = new FxExceptionGuard();

    SearchViewModel search;
    Stage stage;
    final ThumbnailLoader<Image> thumbs = FxThumbnails.loader(null);

    @Start
    void start(Stage primary) {
        stage = new Stage();
        Library lib = new Library(Path.of("/none"), 0);
        search = new SearchViewModel(lib.search, UiExecutors.direct(), new Notifications(), 100);
        PhotoGrid grid = new PhotoGrid(search, thumbs, c -> { }, Messages.english());
        stage.setScene(new Scene(new StackPane(grid.node()), 800, 600));
        stage.show();
    }

    @AfterEach
    void close() throws Exception {
        WaitForAsyncUtils.asyncFx(stage::hide).get();
        thumbs.close();
    }

    /** The texts of the video badges shown (visible, in a tile on screen). */
    private static Set<String> shownBadges(FxRobot robot) throws Exception {
        return robot.lookup((Node n) -> n instanceof Label l && l.getStyleClass().contains("video-badge")
                        && l.isVisible() && l.getParent() != null && l.getParent().getParent() instanceof ResultCell)
                .queryAllAs(Label.class).stream()
                .filter(l -> l.getScene() != null && l.getParent().getScene() != null)
                .map(Label::getText).collect(Collectors.toSet());
    }

    private static long tiles(FxRobot robot) throws Exception {
        return robot.lookup((Node n) -> n instanceof ResultCell c && !c.isEmpty()).queryAll().size();
    }

    @Test
    void aBrowsedVideoShowsItsLength(FxRobot robot) throws Exception {
        Instant t = Instant.parse("2025-06-30T12:00:00Z");
        robot.interact(() -> search.showLibrary("All photos", List.of(
                new LibraryBrowser.Photo(1, Path.of("/lib/clip.mp4"), t, 65_000),
                new LibraryBrowser.Photo(2, Path.of("/lib/photo.jpg"), t.minusSeconds(60)))));
        waitFor(() -> search.results().size() == 2);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(tiles(robot)).isEqualTo(2);
        assertThat(shownBadges(robot)).containsExactly("▶ 1:05"); // the photo's tile has none
    }

    @Test
    void aHitInAVideoShowsItsMomentAndLength(FxRobot robot) throws Exception {
        // what the view model lists after a search that found a moment at 0:42 of a 1:05 video, and a photo
        robot.interact(() -> search.results().setAll(
                new ResultItem(new SearchHit(7, Path.of("/lib/clip.mp4"), 0.9f, 42_000, 65_000)),
                new ResultItem(new SearchHit(8, Path.of("/lib/photo.jpg"), 0.8f))));
        WaitForAsyncUtils.waitForFxEvents();
        waitFor(() -> tiles(robot) == 2);
        assertThat(shownBadges(robot)).containsExactly("▶ 0:42 / 1:05");
    }
}

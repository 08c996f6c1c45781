package io.ocular.ui.main;

import io.ocular.model.ImageRecord;
import io.ocular.model.SearchHit;
import io.ocular.testing.MediaTools;
import io.ocular.testing.VideoFixtures;
import io.ocular.ui.FxExceptionGuard;
import io.ocular.ui.common.Messages;
import io.ocular.ui.common.UiExecutors;
import io.ocular.ui.fakes.UiTestCatalog;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.media.MediaPlayer;
import javafx.stage.Stage;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
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
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The viewer with videos: a search hit in a video plays from its moment with JavaFX's MediaPlayer (H.264 MP4,
 * made with ffmpeg at test time), a format JavaFX does not play (MKV) goes to the system player, and a grid tile
 * of a video says so (play badge, moment, length).
 */
@ExtendWith(ApplicationExtension.class)
class VideoViewerFxTest {
    @RegisterExtension
    final FxExceptionGuard guard = new FxExceptionGuard();

    @TempDir
    static Path tmp;
    private static Path mp4;
    private static Path mkv;

    private final List<Path> openedOutside = new CopyOnWriteArrayList<>();
    private final ExecutorService background = Executors.newSingleThreadExecutor();
    private ViewerViewModel vm;
    private ViewerView view;

    @BeforeAll
    static void media() throws Exception {
        MediaTools.require("ffmpeg");
        mp4 = VideoFixtures.testPattern(tmp.resolve("clip.mp4"), 20, "320x240", 25);
        mkv = Files.copy(mp4, tmp.resolve("clip.mkv"));
    }

    @Start
    void start(Stage stage) {
        UiExecutors ex = new UiExecutors(background, Platform::runLater);
        vm = new ViewerViewModel(new UiTestCatalog(), ex, p -> List.of());
        view = ViewerFixtures.view(vm, ex, openedOutside::add);
        stage.setScene(new Scene(view.root(), 600, 700));
        stage.show();
    }

    private static ResultItem moment(Path video, long ms) {
        return new ResultItem(new SearchHit(1, video, 0.9f, ms, 20_000), Instant.EPOCH);
    }

    @Test
    void aMomentPlaysHereFromItsTime(FxRobot robot) throws Exception {
        robot.interact(() -> vm.show(moment(mp4, 12_000)));
        Button play = robot.lookup("▶ Play from 0:12").queryButton();
        assertThat(play.isVisible()).isTrue();
        robot.clickOn(play);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> {
            MediaPlayer p = view.player();
            return !openedOutside.isEmpty()
                    || p != null && p.getStatus() == MediaPlayer.Status.PLAYING && p.getCurrentTime().toMillis() >= 12_000;
        });
        WaitForAsyncUtils.waitForFxEvents();
        if (!openedOutside.isEmpty()) {
            // JavaFX's media stack lacks a platform library here (on Debian it needs libswscale.so, which
            // libswscale-dev provides): the video went to the system player with the reason, as it should
            String notice = robot.lookup((Label l) -> l.isVisible() && l.getText() != null
                    && l.getText().startsWith("Opened in your video")).queryAs(Label.class).getText();
            assertThat(openedOutside).containsExactly(mp4);
            assertThat(view.player()).isNull();
            Assumptions.abort("JavaFX cannot play H.264 on this machine; fell back to the system player: " + notice);
        }
        MediaPlayer p = view.player();
        assertThat(p.getCurrentTime().toMillis()).isBetween(12_000.0, 19_000.0); // from the moment, not the start
        assertThat(openedOutside).isEmpty();

        // another result stops and releases it
        robot.interact(() -> vm.show(moment(mkv, 3_000)));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(view.player()).isNull();
        assertThat(p.getStatus()).isEqualTo(MediaPlayer.Status.DISPOSED);
    }

    @Test
    void aFormatJavaFxCannotPlayOpensInTheSystemPlayer(FxRobot robot) throws Exception {
        robot.interact(() -> vm.show(moment(mkv, 3_000)));
        robot.clickOn("▶ Play from 0:03");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> !openedOutside.isEmpty());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(openedOutside).containsExactly(mkv);
        assertThat(view.player()).isNull();
        assertThat(robot.lookup((Label l) -> l.isVisible() && l.getText() != null && l.getText().startsWith("Opened in your video player"))
                .tryQuery()).isPresent();

        // a photo has no play button
        robot.interact(() -> vm.show(new ResultItem(new SearchHit(2, tmp.resolve("a.jpg"), 0.5f))));
        assertThat(robot.lookup((Button b) -> b.getText().startsWith("▶")).queryButton().isVisible()).isFalse();
    }

    @Test
    void videoTilesSayWhatTheyAre() {
        ResultItem hit = new ResultItem(new SearchHit(1, mp4, 0.9f, 42_000, 65_000));
        assertThat(hit.isVideo()).isTrue();
        assertThat(hit.videoBadge()).isEqualTo("▶ 0:42 / 1:05");
        ResultItem browsed = new ResultItem(new SearchHit(3, mp4, Float.NaN, ImageRecord.NO_FRAME, 65_000), null);
        assertThat(browsed.videoBadge()).isEqualTo("▶ 1:05");
        assertThat(new ResultItem(new SearchHit(4, tmp.resolve("a.jpg"), 0.5f)).videoBadge()).isEmpty();
        assertThat(hit.describe(Messages.english())).startsWith("clip.mp4 0:42");
    }
}

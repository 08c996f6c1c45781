package io.ocular.ui.indexing;

import io.ocular.model.IndexProgress;
import io.ocular.model.SkippedFile;
import io.ocular.ui.FxTestBase;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.testfx.framework.junit5.Start;
import org.testfx.api.FxRobot;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class IndexingViewFxTest extends FxTestBase {

    @Start
    void start(Stage stage) {
        showWindow(stage);
    }

    @Test
    void progressFromDaemonThreadsShowsAndCancelStopsIt(FxRobot robot) throws Exception {
        Thread daemon = new Thread(() -> {
            for (int i = 1; i <= 2000; i++) {
                h.lib.indexer.publish(new IndexProgress(IndexProgress.State.INDEXING, i, 4000, 1, 35.0,
                        Duration.ofSeconds(57), Path.of("/photos/p" + i + ".jpg"),
                        List.of(new SkippedFile(Path.of("/photos/broken.jpg"), "truncated JPEG"))));
            }
        });
        daemon.start();
        daemon.join();
        waitFor(() -> robot.lookup("#indexingView .label").match((Label l) -> "2,000 / 4,000".equals(l.getText()))
                .tryQuery().isPresent());
        // 2000 daemon callbacks reached the FX thread as a handful of coalesced updates.
        assertThat(h.vm.indexing().updatesApplied()).isLessThan(200);
        assertThat(robot.lookup("35.0 images/s").tryQuery()).isPresent();
        assertThat(robot.lookup("about 57 s left").tryQuery()).isPresent();
        assertThat(robot.lookup("#indexingView .list-view").queryAs(ListView.class).getItems()).hasSize(1);

        robot.clickOn("Pause");
        waitFor(() -> h.vm.indexing().pausedProperty().get());
        assertThat(robot.lookup("Resume").tryQuery()).isPresent();
        robot.clickOn("Cancel");
        waitFor(() -> !h.vm.indexing().activeProperty().get());
        assertThat(h.lib.indexer.commands).containsSubsequence("pause", "cancel");
        assertThat(robot.lookup("Up to date").tryQuery()).isPresent();
    }
}

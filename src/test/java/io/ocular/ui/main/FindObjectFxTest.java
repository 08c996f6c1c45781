package io.ocular.ui.main;

import io.ocular.model.Query;
import io.ocular.model.Verification;
import io.ocular.ui.FxExceptionGuard;
import io.ocular.ui.UiHarness;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.image.ImageView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

import static io.ocular.ui.main.LibraryBrowseFxTest.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Find this object" as a user clicks it: the viewer's button asks for instance search first, then runs the
 * verified search; each tile says verified / not verified / no features; "no confident match" is said plainly;
 * the match picture opens from a verified result.
 */
@ExtendWith(ApplicationExtension.class)
class FindObjectFxTest {
    @RegisterExtension
    final FxExceptionGuard guard = new FxExceptionGuard();

    @TempDir
    static Path tmp;
    UiHarness h;

    @Start
    void start(Stage stage) {
        h = new UiHarness(tmp.resolve("photos"), 8); // beach-01, mountain-02, city-03, ..., beach-sunset-05, ...
        h.show(stage, 1200, 760);
    }

    @AfterEach
    void close() {
        h.close();
    }

    private ResultItem selectFirst(FxRobot robot) throws Exception {
        waitFor(() -> h.vm.search().results().size() == 8);
        robot.clickOn(MainViewFxTest.firstCell(robot));
        waitFor(() -> h.vm.viewer().itemProperty().get() != null);
        return h.vm.viewer().itemProperty().get();
    }

    private static String notification(FxRobot robot) {
        Label label = robot.lookup(".notification-bar .label").queryAs(Label.class);
        return label.isVisible() && label.getParent().isVisible() ? label.getText() : "";
    }

    private static Set<String> tileChecks(FxRobot robot) {
        return robot.lookup(".result-cell .check").queryAllAs(Label.class).stream()
                .filter(Node::isVisible).map(Label::getText).collect(Collectors.toSet());
    }

    @Test
    void findThisObjectNeedsInstanceSearchThenShowsEachResultsCheckAndTheMatchPicture(FxRobot robot) throws Exception {
        ResultItem photo = selectFirst(robot);
        assertThat(tileChecks(robot)).as("browsing shows no checks").isEmpty();
        assertThat(robot.lookup("#showMatchButton").query().isVisible()).isFalse();

        robot.clickOn("#findObjectButton");
        waitFor(() -> notification(robot).contains("turn it on in Settings"));
        assertThat(h.lib.search.queries).isEmpty();

        robot.interact(() -> h.vm.settings().instanceSearchProperty().set(true)); // Settings' switch
        waitFor(() -> h.instanceSearchOn);
        robot.clickOn("#findObjectButton");
        waitFor(() -> h.vm.search().verifiedProperty().get() && !h.vm.search().results().isEmpty());
        assertThat(h.lib.search.queries).containsExactly(new Query.ByImage(photo.id()));
        assertThat(h.lib.search.options.get(0).verify()).isTrue();
        waitFor(() -> tileChecks(robot).size() == 3);
        assertThat(tileChecks(robot)).containsExactlyInAnyOrder("✓ verified", "not verified", "no features");
        assertThat(notification(robot)).isEmpty();

        // a verified result opens its match picture
        int verified = h.vm.search().results().indexOf(h.vm.search().results().stream()
                .filter(r -> r.check() == Verification.Check.VERIFIED).findFirst().orElseThrow());
        robot.interact(() -> h.vm.search().click(verified, false, false));
        waitFor(() -> robot.lookup("#showMatchButton").query().isVisible());
        robot.clickOn("#showMatchButton");
        waitFor(() -> robot.lookup("#matchPicture").tryQuery().isPresent()
                && robot.lookup("#matchPicture").queryAs(ImageView.class).getImage() != null);
        ResultItem shown = h.vm.search().results().get(verified);
        assertThat(h.matchRequests).containsExactly(shown.id());
        assertThat(robot.lookup("#matchCaption").queryAs(Label.class).getText())
                .contains(shown.path().getFileName().toString());
        robot.clickOn("#matchClose");
        waitFor(() -> robot.lookup("#matchPicture").tryQuery().map(n -> n.getScene().getWindow().isShowing())
                .orElse(false) == Boolean.FALSE);

        // a result without local features has no match picture
        int none = h.vm.search().results().indexOf(h.vm.search().results().stream()
                .filter(r -> r.check() == Verification.Check.NO_FEATURES).findFirst().orElseThrow());
        robot.interact(() -> h.vm.search().click(none, false, false));
        waitFor(() -> !robot.lookup("#showMatchButton").query().isVisible());
    }

    @Test
    void noConfidentMatchIsSaidPlainly(FxRobot robot) throws Exception {
        h.lib.search.verifiedWord = null;
        selectFirst(robot);
        robot.interact(() -> h.vm.settings().instanceSearchProperty().set(true));
        waitFor(() -> h.instanceSearchOn);
        robot.clickOn("#findObjectButton");
        waitFor(() -> notification(robot).startsWith("No confident match"));
        assertThat(tileChecks(robot)).doesNotContain("✓ verified");
    }
}

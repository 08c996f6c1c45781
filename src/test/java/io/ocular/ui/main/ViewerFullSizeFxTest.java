package io.ocular.ui.main;

import io.ocular.index.RawFixtures;
import io.ocular.model.SearchHit;
import io.ocular.testing.MediaTools;
import io.ocular.ui.FxExceptionGuard;
import io.ocular.ui.common.UiExecutors;
import io.ocular.ui.fakes.UiTestCatalog;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.stage.Stage;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The viewer shows photos JavaFX cannot read (HEIC through libheif, a DNG's embedded preview) large, decoded by
 * Ocular in the background, not the thumbnail (here: no thumbnail at all, so only the large picture can appear).
 */
@ExtendWith(ApplicationExtension.class)
class ViewerFullSizeFxTest {
    @RegisterExtension
    final FxExceptionGuard guard = new FxExceptionGuard();

    @TempDir
    Path tmp;

    private ViewerViewModel vm;
    private ViewerView view;

    @Start
    void start(Stage stage) {
        UiExecutors ex = new UiExecutors(Executors.newSingleThreadExecutor(), Platform::runLater);
        vm = new ViewerViewModel(new UiTestCatalog(), ex, p -> List.of());
        view = ViewerFixtures.view(vm, ex, video -> { });
        stage.setScene(new Scene(view.root(), 600, 700));
        stage.show();
    }

    /** A 2000 x 1500 gradient (left red, right blue). */
    private static BufferedImage picture() {
        BufferedImage img = new BufferedImage(2000, 1500, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setPaint(new GradientPaint(0, 0, Color.RED, 2000, 0, Color.BLUE));
        g.fillRect(0, 0, 2000, 1500);
        g.dispose();
        return img;
    }

    private Image shownLarge(FxRobot robot, Path file) throws Exception {
        robot.interact(() -> vm.show(new ResultItem(new SearchHit(1, file, 0.8f))));
        ImageView image = robot.lookup(".viewer-image-frame .image-view").queryAs(ImageView.class);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> image.getImage() != null);
        return image.getImage();
    }

    @Test
    void aHeicIsShownLargeNotAsItsThumbnail(FxRobot robot) throws Exception {
        MediaTools.require("heif-enc");
        Path png = tmp.resolve("in.png");
        ImageIO.write(picture(), "png", png.toFile());
        Path heic = MediaTools.heifEnc(png, tmp.resolve("IMG_0001.HEIC"));
        Image shown = shownLarge(robot, heic);
        assertThat(shown.getWidth()).isBetween(1000.0, (double) FullSizeImages.LONG_SIDE); // not a 256-px thumbnail
        assertThat(shown.getHeight()).isEqualTo(shown.getWidth() * 3 / 4, Offset.offset(2.0));
        assertThat(shown.getPixelReader().getColor(10, (int) shown.getHeight() / 2).getRed()).isGreaterThan(0.7);
    }

    @Test
    void aRawIsShownLargeFromItsEmbeddedPreview(FxRobot robot) throws Exception {
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(picture(), "jpg", jpeg);
        Path dng = Files.write(tmp.resolve("DSC_0001.DNG"), RawFixtures.dng(jpeg.toByteArray(), 1, "2020:01:01 12:00:00"));
        Image shown = shownLarge(robot, dng);
        assertThat(shown.getWidth()).isBetween(1000.0, (double) FullSizeImages.LONG_SIDE);
        assertThat(shown.getPixelReader().getColor((int) shown.getWidth() - 10, (int) shown.getHeight() / 2).getBlue())
                .isGreaterThan(0.7); // right is blue: the picture, not a placeholder
    }
}

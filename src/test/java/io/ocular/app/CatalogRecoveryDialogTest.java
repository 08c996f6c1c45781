package io.ocular.app;

import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.stage.Window;
import org.junit.jupiter.api.Test;
import org.testfx.util.WaitForAsyncUtils;

import javax.imageio.ImageIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The window's restore offer, headless: the text shown, the two buttons, and the answer it returns. */
class CatalogRecoveryDialogTest {

    @Test
    void offerShowsTheBackupAndReturnsTheChoice() throws Exception {
        org.testfx.api.FxToolkit.registerPrimaryStage();
        assertThat(answer(ButtonBar.ButtonData.OK_DONE, "restore-offer")).isTrue();
        assertThat(answer(ButtonBar.ButtonData.CANCEL_CLOSE, null)).isFalse();
    }

    private static boolean answer(ButtonBar.ButtonData press, String screenshot) throws Exception {
        CompletableFuture<Boolean> answer = CompletableFuture.supplyAsync(() -> new CatalogRecoveryDialog()
                .offerRestore("Ocular's catalog is damaged", "Ocular cannot read its catalog /x/catalog.db.\n\n"
                        + "The newest good backup is from 2026-11-30 10:00. Restore it?", "Restore backup"));
        AtomicReference<DialogPane> pane = new AtomicReference<>();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> {
            pane.set(WaitForAsyncUtils.asyncFx(CatalogRecoveryDialogTest::showingDialog).get());
            return pane.get() != null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        CompletableFuture<String> text = new CompletableFuture<>();
        Platform.runLater(() -> {
            DialogPane p = pane.get();
            text.complete(((Label) p.getContent()).getText() + " | " + p.getButtonTypes().stream()
                    .map(ButtonType::getText).toList());
            if (screenshot != null) {
                try {
                    Path dir = Files.createDirectories(Path.of("target/screenshots"));
                    ImageIO.write(SwingFXUtils.fromFXImage(p.getScene().snapshot(null), null), "png",
                            dir.resolve(screenshot + ".png").toFile());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            ButtonType type = p.getButtonTypes().stream().filter(b -> b.getButtonData() == press).findFirst().orElseThrow();
            ((Button) p.lookupButton(type)).fire();
        });
        assertThat(text.get(10, TimeUnit.SECONDS)).contains("newest good backup is from 2026-11-30 10:00")
                .contains("[Restore backup, Quit]");
        return answer.get(10, TimeUnit.SECONDS);
    }

    private static DialogPane showingDialog() {
        for (Window w : Window.getWindows()) {
            if (w.isShowing() && w.getScene() != null && w.getScene().getRoot() instanceof DialogPane p) {
                return p;
            }
        }
        return null;
    }
}

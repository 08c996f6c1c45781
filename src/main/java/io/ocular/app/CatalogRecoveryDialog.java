package io.ocular.app;

import io.ocular.ui.common.Messages;
import io.ocular.ui.common.WindowFont;
import javafx.application.Platform;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * {@link CatalogRecovery.Asker} as JavaFX dialogs shown before the main window exists. Starts the toolkit
 * if needed and keeps it running afterwards (implicit exit off) so that {@link DesktopLauncher} can open the
 * window on it.
 */
final class CatalogRecoveryDialog implements CatalogRecovery.Asker {
    private final Messages msg;

    CatalogRecoveryDialog() {
        this(Messages.english());
    }

    CatalogRecoveryDialog(Messages msg) {
        this.msg = msg;
    }

    @Override
    public boolean offerRestore(String title, String message, String restoreLabel) {
        return onFx(() -> {
            ButtonType restore = new ButtonType(restoreLabel, ButtonBar.ButtonData.OK_DONE);
            ButtonType quit = new ButtonType(msg.get("menu.quit").replace("_", ""), ButtonBar.ButtonData.CANCEL_CLOSE);
            Alert a = alert(Alert.AlertType.CONFIRMATION, title, message, restore, quit);
            return a.showAndWait().filter(restore::equals).isPresent();
        });
    }

    @Override
    public void tell(String title, String message) {
        onFx(() -> alert(Alert.AlertType.ERROR, title, message, ButtonType.CLOSE).showAndWait().isPresent());
    }

    private Alert alert(Alert.AlertType type, String title, String message, ButtonType... buttons) {
        Alert a = new Alert(type, "", buttons);
        a.setTitle(title);
        a.setHeaderText(title);
        Label text = new Label(message);
        text.setWrapText(true);
        text.setMaxWidth(520);
        a.getDialogPane().setContent(text);
        WindowFont.apply(a.getDialogPane(), msg.locale());
        return a;
    }

    private static boolean onFx(Callable<Boolean> work) {
        Platform.setImplicitExit(false);
        FxStartup.start();
        CompletableFuture<Boolean> answer = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                answer.complete(work.call());
            } catch (Exception | Error e) {
                answer.completeExceptionally(e);
            }
        });
        try {
            return answer.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("the dialog failed", e.getCause());
        }
    }
}

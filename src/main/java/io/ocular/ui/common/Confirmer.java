package io.ocular.ui.common;

import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.stage.Window;

import java.util.function.Supplier;

/**
 * Asks the user to confirm a destructive action. Views take it as a parameter so tests can answer without
 * a modal dialog; the app uses {@link #dialog}.
 */
@FunctionalInterface
public interface Confirmer {

    /** True when the user agreed to {@code action} (the button's text). */
    boolean confirm(String title, String text, String action);

    /** A modal confirmation dialog; Cancel is the default button. */
    static Confirmer dialog(Supplier<Window> owner) {
        return (title, text, action) -> {
            ButtonType ok = new ButtonType(action, ButtonBar.ButtonData.OK_DONE);
            Alert alert = new Alert(Alert.AlertType.CONFIRMATION, text, ok, ButtonType.CANCEL);
            alert.initOwner(owner.get());
            alert.setTitle(title);
            alert.setHeaderText(title);
            ((javafx.scene.control.Button) alert.getDialogPane().lookupButton(ok)).setDefaultButton(false);
            ((javafx.scene.control.Button) alert.getDialogPane().lookupButton(ButtonType.CANCEL)).setDefaultButton(true);
            return alert.showAndWait().filter(ok::equals).isPresent();
        };
    }
}

package io.ocular.ui.help;

import java.util.function.Supplier;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.stage.Window;
import io.ocular.ui.common.Messages;

import java.util.Map;

/**
 * The Help menu's dialogs (view code). Values sit in read-only text fields so they can be selected and
 * copied (a path to paste into a file manager or a bug report).
 */
public final class HelpDialogs {
    private HelpDialogs() {
    }

    /** Binds the ViewModel's "show this path" state to a dialog. */
    public static void bind(HelpViewModel vm, Supplier<Window> owner, Messages msg) {
        vm.logsPathToCopyProperty().addListener((obs, old, path) -> {
            if (path != null) {
                Alert a = dialog(owner.get(), msg.get("help.logsTitle"), msg.get("help.logsHeader"),
                        Map.of(msg.get("settings.logs"), path));
                a.setOnHidden(e -> vm.logsPathShown());
                a.show();
            }
        });
    }

    public static void showAbout(HelpViewModel vm, Window owner, Messages msg) {
        dialog(owner, msg.get("menu.about"), msg.format("help.aboutHeader", vm.version()), vm.about()).show();
    }

    private static Alert dialog(Window owner, String title, String header, Map<String, String> rows) {
        Alert a = new Alert(Alert.AlertType.INFORMATION, "", ButtonType.CLOSE);
        if (owner != null) {
            a.initOwner(owner);
        }
        a.setTitle(title);
        a.setHeaderText(header);
        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(6);
        int row = 0;
        for (Map.Entry<String, String> e : rows.entrySet()) {
            Label key = new Label(e.getKey());
            key.getStyleClass().add("detail-key");
            TextField value = new TextField(e.getValue());
            value.setEditable(false);
            value.setPrefColumnCount(Math.min(60, Math.max(20, e.getValue().length())));
            GridPane.setHgrow(value, Priority.ALWAYS);
            grid.addRow(row++, key, value);
        }
        a.getDialogPane().setContent(grid);
        a.setResizable(true);
        return a;
    }
}

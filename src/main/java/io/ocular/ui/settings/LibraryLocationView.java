package io.ocular.ui.settings;

import io.ocular.ui.common.Messages;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/**
 * Settings → Library location: "This computer" | "Shared server" with host, port, database and user, where the
 * password comes from, "Test connection" and "Save" (used from the next start). Built in code like the rest of
 * the Settings page.
 */
public final class LibraryLocationView {
    private final VBox root = new VBox(6);

    public LibraryLocationView(LibraryLocationViewModel vm, Messages msg) {
        root.setPadding(new Insets(4, 12, 12, 12));
        ToggleGroup where = new ToggleGroup();
        RadioButton local = new RadioButton(msg.get("library.local"));
        local.setId("libraryLocal");
        local.setToggleGroup(where);
        RadioButton shared = new RadioButton(msg.get("library.shared"));
        shared.setId("libraryShared");
        shared.setToggleGroup(where);
        (vm.sharedProperty().get() ? shared : local).setSelected(true);
        shared.selectedProperty().addListener((obs, o, n) -> vm.sharedProperty().set(n));
        vm.sharedProperty().addListener((obs, o, n) -> (n ? shared : local).setSelected(true));

        TextField host = field("libraryHost", msg.get("library.hostPrompt"), 200);
        host.textProperty().bindBidirectional(vm.hostProperty());
        TextField port = field("libraryPort", LibraryLocationViewModel.DEFAULT_PORT, 70);
        port.textProperty().bindBidirectional(vm.portProperty());
        TextField database = field("libraryDatabase", "ocular", 140);
        database.textProperty().bindBidirectional(vm.databaseProperty());
        TextField user = field("libraryUser", msg.get("library.userPrompt"), 140);
        user.textProperty().bindBidirectional(vm.userProperty());
        Label password = new Label(msg.get("library.password"));
        password.getStyleClass().add("muted");
        password.setWrapText(true);

        GridPane server = new GridPane();
        server.setHgap(8);
        server.setVgap(6);
        server.setPadding(new Insets(0, 0, 0, 24));
        server.addRow(0, new Label(msg.get("library.host")), host, new Label(msg.get("library.port")), port);
        server.addRow(1, new Label(msg.get("library.database")), database, new Label(msg.get("library.user")), user);
        server.add(password, 0, 2, 4, 1);
        server.disableProperty().bind(vm.sharedProperty().not());

        Button test = new Button(msg.get("library.test"));
        test.setId("libraryTest");
        test.disableProperty().bind(vm.sharedProperty().not().or(vm.testingProperty()));
        test.setOnAction(e -> vm.test());
        Button save = new Button(msg.get("library.save"));
        save.setId("librarySave");
        save.setOnAction(e -> vm.save());
        Label note = new Label(msg.get("library.restartNote"));
        note.getStyleClass().add("muted");
        HBox buttons = new HBox(8, test, save, note);
        buttons.setAlignment(Pos.CENTER_LEFT);

        Label result = new Label();
        result.setId("libraryResult");
        result.setWrapText(true);
        result.setMaxWidth(760);
        result.textProperty().bind(vm.resultProperty());
        Label inUse = new Label();
        inUse.setId("libraryInUse");
        inUse.getStyleClass().add("muted");
        inUse.setWrapText(true);
        inUse.setMaxWidth(760);
        inUse.textProperty().bind(vm.inUseProperty().map(u -> u.isBlank() ? "" : msg.format("library.inUse", u)));

        Label title = new Label(msg.get("settings.library"));
        title.getStyleClass().add("section-title");
        root.getChildren().addAll(title, new HBox(16, local, shared), server, buttons, result, inUse);
    }

    private static TextField field(String id, String prompt, double width) {
        TextField f = new TextField();
        f.setId(id);
        f.setPromptText(prompt);
        f.setPrefWidth(width);
        f.setMaxWidth(width);
        return f;
    }

    public VBox root() {
        return root;
    }
}

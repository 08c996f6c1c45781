package io.ocular.ui.main;

import io.ocular.ui.common.Fxml;
import io.ocular.ui.common.Messages;
import io.ocular.ui.common.Notifications;
import io.ocular.ui.common.ViewContext;
import io.ocular.ui.indexing.CodeTrainingView;
import io.ocular.ui.indexing.CodeTrainingViewModel;
import io.ocular.ui.indexing.IndexingView;
import io.ocular.ui.indexing.IndexingViewModel;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

import java.nio.file.Path;
import java.util.Objects;

/** The library pane (the window's sidebar): folders with counts and status, add, remove, and the indexing panel. */
public final class LibraryView {
    private final LibraryViewModel library;
    private final BrowseViewModel browse;
    private final Notifications notifications;
    private final ViewContext ctx;

    @FXML private VBox sidebar;
    @FXML private ToggleButton allPhotosButton;
    @FXML private ListView<FolderItem> folderList;
    @FXML private Button removeFolderButton;
    @FXML private StackPane indexingSlot;

    public LibraryView(LibraryViewModel library, BrowseViewModel browse, IndexingViewModel indexing,
                       Notifications notifications, ViewContext ctx) {
        this(library, browse, indexing, null, notifications, ctx);
    }

    /** With the indexing panel's row for codes trained on the user's photos ({@code codes} may be null: none). */
    public LibraryView(LibraryViewModel library, BrowseViewModel browse, IndexingViewModel indexing,
                       CodeTrainingViewModel codes, Notifications notifications, ViewContext ctx) {
        this.library = Objects.requireNonNull(library, "library");
        this.browse = Objects.requireNonNull(browse, "browse");
        this.notifications = Objects.requireNonNull(notifications, "notifications");
        this.ctx = Objects.requireNonNull(ctx, "ctx");
        Fxml.load(this, ctx.messages());
        VBox panel = new VBox(10, new IndexingView(indexing, ctx.messages()).root());
        if (codes != null) {
            panel.getChildren().add(new CodeTrainingView(codes, ctx.messages()).root());
        }
        indexingSlot.getChildren().add(panel);
        bind();
    }

    public VBox root() {
        return sidebar;
    }

    private void bind() {
        folderList.setItems(library.folders());
        folderList.setPlaceholder(new Label(ctx.messages().get("library.noFolders")));
        folderList.setCellFactory(list -> new FolderCell(ctx.messages()));
        folderList.getSelectionModel().selectedItemProperty().addListener((obs, o, n) -> {
            library.selectedProperty().set(n);
            // a folder chosen (click or keys) shows its photos; a refresh re-selecting the same folder does not
            if (n != null && !n.folder().path().equals(browse.scopeProperty().get())) {
                browse.show(n.folder().path());
            }
        });
        // a click on a folder also leaves search results for that folder's photos
        folderList.setOnMouseClicked(e -> {
            FolderItem item = folderList.getSelectionModel().getSelectedItem();
            if (item != null && e.getTarget() instanceof Node) {
                browse.show(item.folder().path());
            }
        });
        allPhotosButton.setOnAction(e -> {
            folderList.getSelectionModel().clearSelection();
            browse.showAll();
        });
        browse.scopeProperty().addListener((obs, o, n) -> allPhotosButton.setSelected(n == null));
        allPhotosButton.setSelected(browse.scopeProperty().get() == null);
        removeFolderButton.disableProperty().bind(folderList.getSelectionModel().selectedItemProperty().isNull());
        folderList.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.DELETE || e.getCode() == KeyCode.BACK_SPACE) {
                onRemoveFolder();
                e.consume();
            }
        });
    }

    @FXML
    private void onAddFolder() {
        chooseAndAddFolder();
    }

    /** "Add folder…" (the button here and the File menu's item): asks for a folder and adds it. */
    public void chooseAndAddFolder() {
        Path folder = ctx.choosers().chooseFolder(sidebar.getScene() == null ? null : sidebar.getScene().getWindow(),
                ctx.messages().get("library.chooseFolder"));
        library.addFolder(folder);
    }

    @FXML
    private void onRemoveFolder() {
        FolderItem item = folderList.getSelectionModel().getSelectedItem();
        if (item == null) {
            notifications.info(ctx.messages().get("library.selectToRemove"));
            return;
        }
        var msg = ctx.messages();
        if (ctx.confirmer().confirm(msg.format("library.removeTitle", item.name()),
                msg.format("library.removeText", item.folder().path()), msg.get("library.remove"))) {
            library.remove(item);
        }
    }

    /** A folder's name over its status line, its full path as tooltip. */
    private static final class FolderCell extends ListCell<FolderItem> {
        private final Label name = new Label();
        private final Label status = new Label();
        private final VBox box = new VBox(2, name, status);
        private final Tooltip pathTip = new Tooltip(); // one per cell: a new Tooltip per update is a popup window
        private final Messages msg;

        FolderCell(Messages msg) {
            this.msg = msg;
            name.getStyleClass().add("folder-name");
            status.getStyleClass().add("muted");
        }

        @Override
        protected void updateItem(FolderItem item, boolean empty) {
            super.updateItem(item, empty);
            if (empty || item == null) {
                setGraphic(null);
                setTooltip(null);
            } else {
                name.setText(item.name());
                status.setText(item.status(msg));
                setGraphic(box);
                pathTip.setText(item.folder().path().toString());
                setTooltip(pathTip);
            }
        }
    }
}

package io.ocular.ui.models;

import io.ocular.engine.ModelManager;
import io.ocular.ui.common.Fxml;
import io.ocular.ui.common.ViewContext;
import javafx.fxml.FXML;
import javafx.geometry.Pos;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/** Models and settings: the catalogue with download progress, import, and the active model. */
public final class ModelsView {
    private final ModelsViewModel vm;
    private final ViewContext ctx;
    private final Parent root;

    @FXML private Label activeLabel;
    @FXML private Button importButton;
    @FXML private HBox downloadBox;
    @FXML private Label downloadLabel;
    @FXML private ProgressBar downloadBar;
    @FXML private Label offlineLabel;
    @FXML private ListView<ModelManager.Entry> modelList;

    public ModelsView(ModelsViewModel vm, ViewContext ctx) {
        this.vm = vm;
        this.ctx = ctx;
        this.root = Fxml.load(this, ctx.messages());
        root.setId("modelsView");
        activeLabel.textProperty().bind(vm.activeNameProperty());
        downloadBox.visibleProperty().bind(vm.downloadingProperty().isNotNull());
        downloadBox.managedProperty().bind(vm.downloadingProperty().isNotNull());
        downloadLabel.textProperty().bind(vm.downloadingProperty().concat(ctx.messages().get("models.downloadingSuffix")));
        downloadBar.progressProperty().bind(vm.downloadProgressProperty());
        offlineLabel.visibleProperty().bind(vm.offlineProperty());
        offlineLabel.managedProperty().bind(vm.offlineProperty());
        modelList.setItems(vm.entries());
        modelList.setCellFactory(list -> new EntryCell());
    }

    public Parent root() {
        return root;
    }

    private final class EntryCell extends ListCell<ModelManager.Entry> {
        @Override
        protected void updateItem(ModelManager.Entry e, boolean empty) {
            super.updateItem(e, empty);
            if (empty || e == null) {
                setGraphic(null);
                return;
            }
            Label name = new Label(vm.name(e));
            name.getStyleClass().add("folder-name");
            boolean sizeKnown = e.builtIn() || e.sizeBytes() > 0; // imported files have no download size
            Label what = new Label(capitalise(vm.enables(e))
                    + (sizeKnown ? " · " + vm.humanSize(e.sizeBytes()) : ""));
            what.getStyleClass().add("muted");
            VBox text = new VBox(2, name, what);
            Region gap = new Region();
            HBox.setHgrow(gap, Priority.ALWAYS);
            HBox row = new HBox(10, text, gap);
            row.setAlignment(Pos.CENTER_LEFT);
            if (e.active()) {
                Label active = new Label(ctx.messages().get("models.activePill"));
                active.getStyleClass().add("pill");
                row.getChildren().add(active);
            } else if (e.installed()) {
                Button activate = new Button(ctx.messages().get("models.use"));
                activate.setOnAction(a -> vm.activate(e));
                row.getChildren().add(activate);
            } else {
                Button download = new Button(ctx.messages().get("models.download"));
                download.getStyleClass().add("accent");
                download.disableProperty().bind(vm.downloadingProperty().isNotNull());
                download.setOnAction(a -> vm.download(e));
                row.getChildren().add(download);
            }
            setGraphic(row);
        }
    }

    private static String capitalise(String s) {
        return s == null || s.isEmpty() ? "" : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    @FXML
    private void onImport() {
        vm.importModel(ctx.choosers().chooseFile(root.getScene() == null ? null : root.getScene().getWindow(),
                ctx.messages().get("models.importTitle")));
    }
}

package io.ocular.ui.indexing;

import io.ocular.model.SkippedFile;
import io.ocular.ui.common.Fxml;
import io.ocular.ui.common.Messages;
import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TitledPane;
import javafx.scene.control.Tooltip;

/** The indexing panel in the sidebar. Binds to {@link IndexingViewModel}; no behaviour of its own. */
public final class IndexingView {
    private final IndexingViewModel vm;
    private final Parent root;

    @FXML private Label stateLabel;
    @FXML private Label countLabel;
    @FXML private ProgressBar progressBar;
    @FXML private Label rateLabel;
    @FXML private Label etaLabel;
    @FXML private Label currentLabel;
    @FXML private Button pauseButton;
    @FXML private Button cancelButton;
    @FXML private Button rescanButton;
    @FXML private TitledPane skippedPane;
    @FXML private ListView<SkippedFile> skippedList;

    public IndexingView(IndexingViewModel vm) {
        this(vm, Messages.english());
    }

    public IndexingView(IndexingViewModel vm, Messages msg) {
        this.vm = vm;
        this.root = Fxml.load(this, msg);
        root.setId("indexingView");
        stateLabel.textProperty().bind(vm.stateTextProperty());
        countLabel.textProperty().bind(vm.countTextProperty());
        progressBar.progressProperty().bind(vm.fractionProperty());
        progressBar.visibleProperty().bind(vm.activeProperty());
        progressBar.managedProperty().bind(vm.activeProperty());
        rateLabel.textProperty().bind(vm.rateTextProperty());
        etaLabel.textProperty().bind(vm.etaTextProperty());
        currentLabel.textProperty().bind(vm.currentFileProperty());
        pauseButton.textProperty().bind(Bindings.when(vm.pausedProperty()).then(msg.get("indexing.resume"))
                .otherwise(msg.get("indexing.pause")));
        pauseButton.disableProperty().bind(vm.activeProperty().not());
        cancelButton.disableProperty().bind(vm.activeProperty().not());
        rescanButton.disableProperty().bind(vm.activeProperty());
        skippedList.setItems(vm.skipped());
        skippedPane.textProperty().bind(Bindings.createStringBinding(
                () -> msg.format("indexing.skippedCount", vm.skipped().size()), vm.skipped()));
        skippedList.setPlaceholder(new Label(msg.get("indexing.nothingSkipped")));
        skippedList.setCellFactory(list -> new ListCell<>() {
            @Override
            protected void updateItem(SkippedFile item, boolean empty) {
                super.updateItem(item, empty);
                if (empty || item == null) {
                    setText(null);
                    setTooltip(null);
                } else {
                    setText(item.path().getFileName() + " — " + item.reason());
                    setTooltip(new Tooltip(item.path() + "\n" + item.reason()));
                }
            }
        });
    }

    public Parent root() {
        return root;
    }

    @FXML
    private void onPause() {
        vm.togglePause();
    }

    @FXML
    private void onCancel() {
        vm.cancel();
    }

    @FXML
    private void onRescan() {
        vm.rescan();
    }
}

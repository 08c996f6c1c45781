package io.ocular.ui.indexing;

import io.ocular.ui.common.Fxml;
import io.ocular.ui.common.Messages;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Tooltip;

/** The indexing panel's row for codes trained on the user's photos. Binds to {@link CodeTrainingViewModel}. */
public final class CodeTrainingView {
    private final CodeTrainingViewModel vm;
    private final Parent root;

    @FXML private Label codesState;
    @FXML private ProgressBar codesProgress;
    @FXML private Button codesTrain;
    @FXML private Button codesStop;

    public CodeTrainingView(CodeTrainingViewModel vm, Messages msg) {
        this.vm = vm;
        this.root = Fxml.load(this, msg);
        root.setId("codeTrainingView");
        root.visibleProperty().bind(vm.availableProperty());
        root.managedProperty().bind(vm.availableProperty());
        codesState.textProperty().bind(vm.stateTextProperty());
        Tooltip why = new Tooltip();
        why.textProperty().bind(vm.detailsProperty());
        codesState.setTooltip(why);
        codesProgress.progressProperty().bind(vm.fractionProperty());
        codesProgress.visibleProperty().bind(vm.runningProperty());
        codesProgress.managedProperty().bind(vm.runningProperty());
        codesTrain.disableProperty().bind(vm.runningProperty());
        codesStop.visibleProperty().bind(vm.runningProperty());
        codesStop.managedProperty().bind(vm.runningProperty());
    }

    public Parent root() {
        return root;
    }

    @FXML
    private void onTrain() {
        vm.train();
    }

    @FXML
    private void onStop() {
        vm.stop();
    }
}

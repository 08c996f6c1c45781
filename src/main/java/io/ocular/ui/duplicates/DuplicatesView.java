package io.ocular.ui.duplicates;

import io.ocular.ui.common.Fxml;
import io.ocular.ui.common.ViewContext;
import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.geometry.Pos;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Slider;
import javafx.scene.control.Tooltip;
import javafx.scene.image.ImageView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;


/** The duplicates tab: threshold slider, groups with thumbnails and "trash" ticks, confirmed trashing. */
public final class DuplicatesView {
    private final DuplicatesViewModel vm;
    private final ViewContext ctx;
    private final Parent root;

    @FXML private Button scanButton;
    @FXML private Slider thresholdSlider;
    @FXML private Label thresholdLabel;
    @FXML private Button tickButton;
    @FXML private Button trashButton;
    @FXML private Label summaryLabel;
    @FXML private ListView<DuplicatesViewModel.Group> groupList;

    public DuplicatesView(DuplicatesViewModel vm, ViewContext ctx) {
        this.vm = vm;
        this.ctx = ctx;
        this.root = Fxml.load(this, ctx.messages());
        root.setId("duplicatesView");
        thresholdSlider.setMin(DuplicatesViewModel.MIN_THRESHOLD);
        thresholdSlider.valueProperty().bindBidirectional(vm.thresholdProperty());
        thresholdLabel.textProperty().bind(vm.thresholdProperty().asString(ctx.messages().locale(), "%.2f"));
        summaryLabel.textProperty().bind(vm.summaryProperty());
        scanButton.disableProperty().bind(vm.busyProperty());
        tickButton.disableProperty().bind(Bindings.isEmpty(vm.groups()));
        trashButton.disableProperty().bind(Bindings.isEmpty(vm.groups()));
        groupList.setItems(vm.groups());
        groupList.setPlaceholder(new Label(ctx.messages().get("dup.placeholder")));
        groupList.setCellFactory(list -> new GroupCell());
    }

    public Parent root() {
        return root;
    }

    private final class GroupCell extends ListCell<DuplicatesViewModel.Group> {
        @Override
        protected void updateItem(DuplicatesViewModel.Group group, boolean empty) {
            super.updateItem(group, empty);
            if (empty || group == null) {
                setGraphic(null);
                return;
            }
            HBox row = new HBox(10);
            row.setAlignment(Pos.CENTER_LEFT);
            Label sim = new Label(ctx.messages().decimal(group.similarity(), 3));
            sim.getStyleClass().add("muted");
            sim.setMinWidth(46);
            row.getChildren().add(sim);
            for (DuplicatesViewModel.Member m : group.members()) {
                ImageView image = new ImageView(ctx.thumbnails().cached(m.path()));
                image.setFitWidth(110);
                image.setFitHeight(90);
                image.setPreserveRatio(true);
                if (image.getImage() == null) {
                    ctx.thumbnails().request(m.path(), image::setImage);
                }
                CheckBox trash = new CheckBox(ctx.messages().get("dup.trash"));
                trash.selectedProperty().bindBidirectional(m.trashProperty());
                Label name = new Label(String.valueOf(m.path().getFileName()));
                name.setMaxWidth(120);
                VBox box = new VBox(3, image, name, trash);
                box.getStyleClass().add("dup-member");
                box.setAlignment(Pos.CENTER);
                Tooltip.install(box, new Tooltip(m.path().toString()));
                row.getChildren().add(box);
            }
            setGraphic(row);
        }
    }

    @FXML
    private void onScan() {
        vm.scan();
    }

    @FXML
    private void onTick() {
        vm.markAllButFirst();
    }

    @FXML
    private void onTrash() {
        String text = vm.confirmationText();
        if (text != null && ctx.confirmer().confirm(ctx.messages().get("dup.confirmTitle"), text,
                ctx.messages().get("dup.confirmAction"))) {
            vm.trashMarked();
        }
    }
}

package io.ocular.ui.main;

import io.ocular.ui.common.Messages;
import io.ocular.ui.common.TextModels;
import javafx.geometry.Pos;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.util.StringConverter;

/** "Words: [English (CLIP) ▾]" beside the search bar, shown only when there is more than one text model. */
public final class TextModelView {
    private final HBox root = new HBox(4);

    public TextModelView(TextModelViewModel vm, Messages msg) {
        root.setId("textModelChoice");
        root.setAlignment(Pos.CENTER_LEFT);
        Label label = new Label(msg.get("textModel.label"));
        label.getStyleClass().add("muted");
        label.setMinWidth(Label.USE_PREF_SIZE);
        ComboBox<TextModels.Choice> box = new ComboBox<>(vm.choices());
        box.setId("textModelBox");
        box.setTooltip(new Tooltip(msg.get("textModel.tooltip")));
        box.setConverter(new StringConverter<>() {
            @Override
            public String toString(TextModels.Choice c) {
                return vm.label(c);
            }

            @Override
            public TextModels.Choice fromString(String s) {
                return null; // not editable
            }
        });
        box.valueProperty().bindBidirectional(vm.selectedProperty());
        root.getChildren().addAll(label, box);
        root.visibleProperty().bind(vm.availableProperty());
        root.managedProperty().bind(vm.availableProperty());
    }

    public HBox root() {
        return root;
    }
}

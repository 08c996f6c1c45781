package io.ocular.ui.main;

import io.ocular.ui.common.Messages;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.HBox;

/**
 * The chip in the search bar that shows what is being searched: the words, or the example photo's
 * thumbnail and name. Its ✕ removes the query and the grid returns to browsing. Hidden while browsing.
 */
public final class QueryChipView {
    private static final double THUMB = 28;

    private final HBox root = new HBox(6);
    private final ImageView thumb = new ImageView();
    private final Label label = new Label();
    private final Messages msg;

    public QueryChipView(SearchViewModel search, Messages msg) {
        this.msg = msg;
        root.getStyleClass().add("query-chip");
        root.setId("queryChip");
        root.setAlignment(Pos.CENTER_LEFT);
        thumb.setFitWidth(THUMB);
        thumb.setFitHeight(THUMB);
        thumb.setPreserveRatio(true);
        label.setId("queryChipLabel");
        label.setMaxWidth(260);
        Button close = new Button("✕");
        close.setId("queryChipClose");
        close.getStyleClass().add("flat");
        close.setTooltip(new Tooltip(msg.get("chip.remove")));
        close.setOnAction(e -> search.leaveResults());
        root.getChildren().addAll(thumb, label, close);
        search.chipProperty().addListener((obs, o, chip) -> show(chip));
        show(search.chipProperty().get());
    }

    public HBox root() {
        return root;
    }

    private void show(QueryChip chip) {
        root.setVisible(chip != null);
        root.setManaged(chip != null);
        if (chip == null) {
            thumb.setImage(null);
            return;
        }
        label.setText(chip.label());
        thumb.setVisible(chip.isImage());
        thumb.setManaged(chip.isImage());
        // a small thumbnail decoded in the background; the photo need not be in the library (a dropped file)
        thumb.setImage(chip.isImage() ? new Image(chip.image().toUri().toString(), 64, 64, true, true, true) : null);
        Tooltip.install(root, new Tooltip(chip.isImage() ? msg.format("chip.photosLike", chip.image()) : msg.format("chip.photosOf", chip.label())));
    }
}

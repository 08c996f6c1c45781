package io.ocular.ui.main;

import io.ocular.ui.common.Messages;
import io.ocular.model.Verification;
import io.ocular.ui.common.ThumbnailLoader;
import javafx.beans.value.ChangeListener;
import javafx.css.PseudoClass;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.StackPane;
import javafx.geometry.Pos;
import org.controlsfx.control.GridCell;

import java.util.List;
import java.util.function.Consumer;

/** A results grid cell: lazy thumbnail, selection, relevance badge, score in the tooltip. */
final class ResultCell extends GridCell<ResultItem> {
    private static final PseudoClass SELECTED = PseudoClass.getPseudoClass("picked");
    private static final PseudoClass RELEVANT = PseudoClass.getPseudoClass("relevant");
    private static final PseudoClass NOT_RELEVANT = PseudoClass.getPseudoClass("not-relevant");

    private final ImageView image = new ImageView();
    private final ThumbnailLoader.Slot<Image> thumbnail;
    private final Label badge = new Label();
    private final Label check = new Label();
    private final Label video = new Label();
    private final StackPane frame = new StackPane(image, badge, check, video);
    private final Tooltip tooltip = new Tooltip();
    private final ChangeListener<Boolean> onSelected = (o, a, b) -> pseudoClassStateChanged(SELECTED, b);
    private final ChangeListener<Mark> onMark = (o, a, b) -> showMark(b);
    private final Messages msg;
    private ResultItem bound;

    ResultCell(ThumbnailLoader<Image> thumbnails, SearchViewModel vm, Consumer<ResultCell> onDoubleClick, Messages msg) {
        this.msg = msg;
        this.thumbnail = new ThumbnailLoader.Slot<>(thumbnails, image::setImage);
        getStyleClass().add("result-cell");
        image.setPreserveRatio(true);
        image.setFitWidth(150);
        image.setFitHeight(150);
        badge.getStyleClass().add("badge");
        StackPane.setAlignment(badge, Pos.TOP_RIGHT);
        check.getStyleClass().add("check");
        check.setId("check");
        StackPane.setAlignment(check, Pos.BOTTOM_LEFT);
        video.getStyleClass().add("video-badge");
        StackPane.setAlignment(video, Pos.BOTTOM_RIGHT);
        frame.getStyleClass().add("thumb-frame");
        setOnMouseClicked(e -> {
            if (isEmpty() || e.getButton() != MouseButton.PRIMARY) {
                return;
            }
            vm.click(getIndex(), e.isShortcutDown(), e.isShiftDown());
            if (e.getClickCount() == 2) {
                onDoubleClick.accept(this);
            }
        });
        setOnContextMenuRequested(e -> {
            if (!isEmpty() && getItem() != null && !getItem().isSelected()) {
                vm.click(getIndex(), false, false);
            }
        });
    }

    @Override
    protected void updateItem(ResultItem item, boolean empty) {
        super.updateItem(item, empty);
        if (bound != null) {
            bound.selectedProperty().removeListener(onSelected);
            bound.markProperty().removeListener(onMark);
            bound = null;
        }
        thumbnail.cancel();
        if (empty || item == null) {
            setGraphic(null);
            setTooltip(null);
            image.setImage(null);
            video.setVisible(false);
            pseudoClassStateChanged(SELECTED, false);
            showMark(Mark.NONE);
            showCheck(null);
            return;
        }
        bound = item;
        item.selectedProperty().addListener(onSelected);
        item.markProperty().addListener(onMark);
        pseudoClassStateChanged(SELECTED, item.isSelected());
        showMark(item.getMark());
        showCheck(item.check());
        tooltip.setText(item.describe(msg));
        video.setText(item.videoBadge());
        video.setVisible(item.isVideo());
        setTooltip(tooltip);
        ResultItem wanted = item;
        thumbnail.show(item.hit().path(), () -> getItem() == wanted);
        setGraphic(frame);
    }

    /** "Find this object": whether this result verified (same object), did not, or could not be checked. */
    private void showCheck(Verification.Check c) {
        check.getStyleClass().removeAll(CHECK_STYLES);
        check.setVisible(c != null);
        if (c == null) {
            check.setText("");
            return;
        }
        check.setText(checkLabel(c, msg));
        check.getStyleClass().add(CHECK_STYLES.get(c.ordinal()));
    }

    private static final List<String> CHECK_STYLES = List.of("check-verified", "check-not-verified", "check-no-features");

    /** The words a tile shows for a verification check. */
    static String checkLabel(Verification.Check c, Messages msg) {
        return switch (c) {
            case VERIFIED -> msg.get("check.verified");
            case NOT_VERIFIED -> msg.get("check.notVerified");
            case NO_FEATURES -> msg.get("check.noFeatures");
        };
    }

    private void showMark(Mark mark) {
        pseudoClassStateChanged(RELEVANT, mark == Mark.RELEVANT);
        pseudoClassStateChanged(NOT_RELEVANT, mark == Mark.NOT_RELEVANT);
        badge.setText(switch (mark) {
            case RELEVANT -> "✓";
            case NOT_RELEVANT -> "✕";
            case NONE -> "";
        });
        badge.setVisible(mark != Mark.NONE);
    }
}

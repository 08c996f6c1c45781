package io.ocular.ui.main;

import io.ocular.ui.common.Messages;
import io.ocular.model.Verification;
import io.ocular.ui.common.ThumbnailLoader;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.ObservableDoubleValue;
import javafx.css.PseudoClass;
import javafx.scene.control.IndexedCell;
import javafx.scene.control.Label;
import javafx.scene.control.Skin;
import javafx.scene.control.skin.CellSkinBase;
import javafx.scene.control.Tooltip;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.StackPane;
import javafx.geometry.Pos;

import java.util.List;
import java.util.function.Consumer;

/**
 * A photo in the grid: lazy thumbnail, selection, relevance badge, score (or date) in the tooltip. A
 * {@link PhotoGrid} row holds a few and points them at photos with {@link #show}.
 */
final class ResultCell extends IndexedCell<ResultItem> {
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

    /** @param size the cell's width and height (the thumbnail fits inside, less the padding) */
    ResultCell(ThumbnailLoader<Image> thumbnails, SearchViewModel vm, Consumer<ResultCell> onDoubleClick,
               ObservableDoubleValue size, Messages msg) {
        this.msg = msg;
        this.thumbnail = new ThumbnailLoader.Slot<>(thumbnails, image::setImage);
        getStyleClass().add("result-cell");
        image.setPreserveRatio(true);
        image.fitWidthProperty().bind(Bindings.subtract(size, 6));
        image.fitHeightProperty().bind(Bindings.subtract(size, 6));
        prefWidthProperty().bind(size);
        prefHeightProperty().bind(size);
        minWidthProperty().bind(size);
        minHeightProperty().bind(size);
        maxWidthProperty().bind(size);
        maxHeightProperty().bind(size);
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
    protected Skin<?> createDefaultSkin() {
        return new CellSkinBase<>(this);
    }

    /** Shows photo {@code index} of the grid's list, or nothing when {@code item} is null. */
    void show(int index, ResultItem item) {
        if (getIndex() == index && getItem() == item) {
            return; // the same photo: keep its thumbnail
        }
        updateIndex(item == null ? -1 : index);
        updateItem(item, item == null);
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

    /** Whether the photo's thumbnail is on screen (loaded), for the window measurement ({@link PerfProbe}). */
    boolean thumbnailShown() {
        return image.getImage() != null && image.getImage().getProgress() >= 1;
    }
}

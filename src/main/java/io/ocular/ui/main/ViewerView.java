package io.ocular.ui.main;

import io.ocular.model.SearchHit;
import io.ocular.model.Verification;
import io.ocular.ui.common.Fxml;
import io.ocular.ui.common.ImageFiles;
import io.ocular.ui.common.SystemPlayer;
import io.ocular.ui.common.ViewContext;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.image.ImageView;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.media.MediaPlayer;
import javafx.scene.layout.VBox;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/** The viewer pane: the focused result large, its path and details, and what can be done with it. */
public final class ViewerView {

    /** What the viewer's buttons do; the window decides (they reach the search and compose panes). */
    public interface Actions {
        void moreLikeThis(ResultItem item);

        /** Instance search: photos showing the same object or scene, each verified or not. */
        void findObject(ResultItem item);

        /** The match picture of a "Find this object" result. */
        void showMatch(ResultItem item);

        void composeFrom();

        void reveal(ResultItem item);
    }

    private final ViewerViewModel viewer;
    private final ViewContext ctx;
    private final Actions actions;
    private final SystemPlayer systemPlayer;
    private final FullSizeImages fullSize;
    private VideoPlayback playback;

    @FXML private ScrollPane viewerScroll;
    @FXML private StackPane viewerFrame;
    @FXML private ImageView viewerImage;
    @FXML private Label videoNotice;
    @FXML private Button playButton;
    @FXML private Label viewerPlaceholder;
    @FXML private Label viewerPath;
    @FXML private Button moreLikeThisButton;
    @FXML private Button findObjectButton;
    @FXML private Button showMatchButton;
    @FXML private Button composeFromButton;
    @FXML private Button revealButton;
    @FXML private GridPane detailsGrid;
    @FXML private VBox uprightBox;
    @FXML private Label uprightLabel;
    @FXML private Button uprightButton;

    public ViewerView(ViewerViewModel viewer, ViewContext ctx, Actions actions) {
        this(viewer, ctx, actions, SystemPlayer.desktop(ctx.messages()));
    }

    /** @param systemPlayer opens videos the window cannot play itself */
    public ViewerView(ViewerViewModel viewer, ViewContext ctx, Actions actions, SystemPlayer systemPlayer) {
        this(viewer, ctx, actions, systemPlayer, FullSizeImages.ocularDecoder());
    }

    /**
     * @param systemPlayer opens videos the window cannot play itself
     * @param fullSize     decodes a photo JavaFX cannot read (HEIC, RAW, TIFF, WebP) large, upright (blocking)
     */
    public ViewerView(ViewerViewModel viewer, ViewContext ctx, Actions actions, SystemPlayer systemPlayer,
                      Function<Path, BufferedImage> fullSize) {
        this.fullSize = new FullSizeImages(Objects.requireNonNull(fullSize, "fullSize"), ctx.executors());
        this.viewer = Objects.requireNonNull(viewer, "viewer");
        this.ctx = Objects.requireNonNull(ctx, "ctx");
        this.actions = Objects.requireNonNull(actions, "actions");
        this.systemPlayer = Objects.requireNonNull(systemPlayer, "systemPlayer");
        Fxml.load(this, ctx.messages());
        bind();
    }

    public ScrollPane root() {
        return viewerScroll;
    }

    private void bind() {
        // Sized from the scroll pane's viewport, not from the VBox it sits in (that would grow with the image).
        viewerImage.fitWidthProperty().bind(Bindings.createDoubleBinding(
                () -> Math.max(160, viewerScroll.getViewportBounds().getWidth() - 40),
                viewerScroll.viewportBoundsProperty()));
        viewerImage.setFitHeight(420);
        playback = new VideoPlayback(viewerFrame, viewerImage.fitWidthProperty(), 420, systemPlayer, ctx.executors(),
                this::showVideoNotice, ctx.messages());
        videoNotice.managedProperty().bind(videoNotice.visibleProperty());
        playButton.managedProperty().bind(playButton.visibleProperty());
        var item = viewer.itemProperty();
        viewerPlaceholder.visibleProperty().bind(item.isNull());
        moreLikeThisButton.disableProperty().bind(item.isNull());
        composeFromButton.disableProperty().bind(item.isNull());
        findObjectButton.disableProperty().bind(item.isNull());
        // only results of "Find this object" that could be checked have a match picture
        var checked = Bindings.createBooleanBinding(() -> item.get() != null && item.get().check() != null
                && item.get().check() != Verification.Check.NO_FEATURES, item);
        showMatchButton.visibleProperty().bind(checked);
        showMatchButton.managedProperty().bind(checked);
        revealButton.disableProperty().bind(item.isNull());
        item.addListener((obs, old, shown) -> showImage(shown));
        uprightBox.visibleProperty().bind(viewer.uprightSuggestionProperty().isNotNull());
        uprightBox.managedProperty().bind(uprightBox.visibleProperty());
        uprightLabel.textProperty().bind(viewer.uprightSuggestionProperty());
        viewerImage.rotateProperty().bind(viewer.shownRotationProperty());
        viewer.details().addListener((ListChangeListener<Map.Entry<String, String>>) c -> showDetails());
    }

    private void showImage(ResultItem item) {
        playback.stop();
        showVideoNotice(null);
        playButton.setVisible(item != null && item.isVideo());
        if (item != null && item.isVideo()) {
            playButton.setText(item.hit().isMoment()
                    ? ctx.messages().format("viewer.playFrom", SearchHit.clock(item.hit().frameMs()))
                    : ctx.messages().get("viewer.play"));
        }
        if (item == null) {
            viewerImage.setImage(null);
            viewerPath.setText("");
            return;
        }
        Path p = item.hit().path();
        viewerPath.setText(p.toString());
        viewerImage.setImage(ctx.thumbnails().cached(p));
        if (ImageFiles.looksLikeImage(p) && Files.exists(p)) {
            fullSize.load(p, viewerImage::setImage, () -> viewer.itemProperty().get() == item);
        }
    }

    private void showDetails() {
        detailsGrid.getChildren().clear();
        int row = 0;
        for (Map.Entry<String, String> e : viewer.details()) {
            Label key = new Label(e.getKey());
            key.getStyleClass().add("detail-key");
            key.setMinWidth(Region.USE_PREF_SIZE); // the value wraps; the key is never cut to "…"
            Label value = new Label(e.getValue());
            value.setWrapText(true);
            detailsGrid.addRow(row++, key, value);
        }
    }

    private void showVideoNotice(String text) {
        videoNotice.setText(text == null ? "" : text);
        videoNotice.setVisible(text != null && !text.isEmpty());
    }

    @FXML
    private void onPlay() {
        ResultItem item = viewer.itemProperty().get();
        if (item != null && item.isVideo()) {
            playback.play(item.path(), Math.max(0, item.hit().frameMs()));
        }
    }

    /** The player of the video being played here (tests), or null. */
    MediaPlayer player() {
        return playback.player();
    }

    @FXML
    private void onMoreLikeThis() {
        actions.moreLikeThis(viewer.itemProperty().get());
    }

    @FXML
    private void onShowUpright() {
        viewer.showUpright();
    }

    @FXML
    private void onFindObject() {
        actions.findObject(viewer.itemProperty().get());
    }

    @FXML
    private void onShowMatch() {
        actions.showMatch(viewer.itemProperty().get());
    }

    @FXML
    private void onComposeFrom() {
        actions.composeFrom();
    }

    @FXML
    private void onReveal() {
        ResultItem item = viewer.itemProperty().get();
        if (item != null) {
            actions.reveal(item);
        }
    }
}

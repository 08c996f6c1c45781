package io.ocular.ui.compose;

import io.ocular.model.SearchHit;
import io.ocular.ui.common.Fxml;
import io.ocular.ui.common.ThumbnailLoader;
import io.ocular.ui.common.ViewContext;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.collections.MapChangeListener;
import javafx.collections.WeakMapChangeListener;
import javafx.geometry.Pos;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.Slider;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;
import org.controlsfx.control.GridCell;
import org.controlsfx.control.GridView;


/** The composed-retrieval tab: reference, modification, weight, results, and the walk's breadcrumb. */
public final class ComposeView {
    private final ComposeViewModel vm;
    private final ViewContext ctx;
    private final Parent root;
    private final GridView<SearchHit> grid;

    @FXML private HBox breadcrumb;
    @FXML private Button backButton;
    @FXML private ImageView referenceImage;
    @FXML private Label referencePlaceholder;
    @FXML private Label referenceName;
    @FXML private TextField modificationField;
    @FXML private Slider weightSlider;
    @FXML private Button composeButton;
    @FXML private StackPane gridSlot;

    public ComposeView(ComposeViewModel vm, ViewContext ctx) {
        this.vm = vm;
        this.ctx = ctx;
        this.root = Fxml.load(this, ctx.messages());
        root.setId("composeView");
        modificationField.textProperty().bindBidirectional(vm.modificationProperty());
        modificationField.setOnAction(e -> vm.search());
        weightSlider.valueProperty().bindBidirectional(vm.weightProperty());
        composeButton.disableProperty().bind(vm.busyProperty());
        backButton.disableProperty().bind(vm.currentTurnProperty().lessThan(1));
        referencePlaceholder.visibleProperty().bind(vm.referenceProperty().isNull());
        vm.referenceProperty().addListener((obs, old, ref) -> showReference(ref));
        vm.history().addListener((ListChangeListener<ComposeViewModel.Turn>) c -> rebuildBreadcrumb());
        vm.currentTurnProperty().addListener((obs, o, n) -> rebuildBreadcrumb());

        grid = new GridView<>(vm.results());
        grid.setId("composeGrid");
        grid.setCellWidth(140);
        grid.setCellHeight(140);
        grid.setCellFactory(g -> new HitCell());
        Label empty = new Label(ctx.messages().get("compose.empty"));
        empty.getStyleClass().add("empty-hint");
        empty.visibleProperty().bind(Bindings.isEmpty(vm.results()));
        empty.setMouseTransparent(true);
        gridSlot.getChildren().addAll(grid, empty);
    }

    public Parent root() {
        return root;
    }

    private void showReference(ComposeViewModel.Reference ref) {
        if (ref == null) {
            referenceImage.setImage(null);
            referenceName.setText("");
            return;
        }
        referenceName.setText(String.valueOf(ref.path().getFileName()));
        Image cached = ctx.thumbnails().cached(ref.path());
        referenceImage.setImage(cached);
        if (cached == null) {
            ctx.thumbnails().request(ref.path(), img -> {
                if (vm.referenceProperty().get() == ref) {
                    referenceImage.setImage(img);
                }
            });
        }
    }

    private void rebuildBreadcrumb() {
        breadcrumb.getChildren().clear();
        for (int i = 0; i < vm.history().size(); i++) {
            ComposeViewModel.Turn turn = vm.history().get(i);
            ToggleButton step = new ToggleButton((i + 1) + ". " + turn.label());
            step.getStyleClass().add("crumb");
            step.setSelected(i == vm.currentTurnProperty().get());
            step.setTooltip(new Tooltip(ctx.messages().format("compose.stepTooltip",
                    String.valueOf(turn.reference().path().getFileName()), turn.label(), turn.weight())));
            int index = i;
            step.setOnAction(e -> vm.goTo(index));
            if (i > 0) {
                breadcrumb.getChildren().add(new Label("›"));
            }
            breadcrumb.getChildren().add(step);
        }
    }

    private final class HitCell extends GridCell<SearchHit> {
        private final ImageView image = new ImageView();
        private final ThumbnailLoader.Slot<Image> thumbnail = new ThumbnailLoader.Slot<>(ctx.thumbnails(), image::setImage);
        /** ✓ / ✗ when the user marked this result a good match / not a match. */
        private final Label badge = new Label();
        private final StackPane graphic = new StackPane(image, badge);
        private final MapChangeListener<Long, Boolean> marksChanged = c -> showMark();

        HitCell() {
            getStyleClass().add("result-cell");
            image.setPreserveRatio(true);
            image.setFitWidth(130);
            image.setFitHeight(130);
            badge.getStyleClass().add("mark-badge");
            badge.setMouseTransparent(true);
            StackPane.setAlignment(badge, Pos.TOP_RIGHT);
            vm.marks().addListener(new WeakMapChangeListener<>(marksChanged));
            MenuItem next = new MenuItem(ctx.messages().get("compose.continueFrom"));
            next.setOnAction(e -> {
                if (getItem() != null) {
                    vm.continueFrom(getItem());
                    modificationField.requestFocus();
                }
            });
            MenuItem good = new MenuItem(ctx.messages().get("compose.good"));
            good.setId("markGood");
            good.setOnAction(e -> vm.mark(getItem(), true));
            MenuItem bad = new MenuItem(ctx.messages().get("compose.notMatch"));
            bad.setId("markNotMatch");
            bad.setOnAction(e -> vm.mark(getItem(), false));
            MenuItem clear = new MenuItem(ctx.messages().get("compose.clearMark"));
            clear.setId("markClear");
            clear.setOnAction(e -> vm.mark(getItem(), null));
            setContextMenu(new ContextMenu(next, new SeparatorMenuItem(), good, bad, clear));
            setOnMouseClicked(e -> {
                if (!isEmpty() && e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2) {
                    vm.continueFrom(getItem());
                    modificationField.requestFocus();
                }
            });
        }

        @Override
        protected void updateItem(SearchHit item, boolean empty) {
            super.updateItem(item, empty);
            thumbnail.cancel();
            if (empty || item == null) {
                setGraphic(null);
                setTooltip(null);
                return;
            }
            setTooltip(new Tooltip(ctx.messages().format("result.score", String.valueOf(item.path().getFileName()),
                    item.score()) + "\n" + ctx.messages().get("compose.markTooltip")));
            SearchHit wanted = item;
            thumbnail.show(item.path(), () -> getItem() == wanted);
            showMark();
            setGraphic(graphic);
        }

        private void showMark() {
            SearchHit item = getItem();
            Boolean mark = item == null ? null : vm.marks().get(item.imageId());
            badge.setText(mark == null ? "" : mark ? "✓" : "✗");
            badge.getStyleClass().removeAll("mark-good", "mark-bad");
            if (mark != null) {
                badge.getStyleClass().add(mark ? "mark-good" : "mark-bad");
            }
            badge.setVisible(mark != null);
        }
    }

    @FXML
    private void onSearch() {
        vm.search();
    }

    @FXML
    private void onBack() {
        vm.back();
    }

    @FXML
    private void onReset() {
        vm.reset();
    }
}

package io.ocular.ui.main;

import io.ocular.ui.common.Fxml;
import io.ocular.ui.common.FileManager;
import io.ocular.ui.common.ImageFiles;
import io.ocular.ui.common.Notifications;
import io.ocular.ui.common.ViewContext;
import io.ocular.ui.compose.ComposeView;
import io.ocular.ui.duplicates.DuplicatesView;
import io.ocular.ui.help.HelpDialogs;
import io.ocular.ui.indexing.IndexingView;
import io.ocular.ui.models.ModelsView;
import javafx.animation.PauseTransition;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.embed.swing.SwingFXUtils;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.input.Clipboard;
import javafx.scene.input.DragEvent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import org.controlsfx.control.GridView;

import javax.imageio.ImageIO;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The window's content: notification bar, library sidebar with the indexing panel, and tabs for search
 * (results grid + viewer), composed retrieval, duplicates and models. A thin view: it binds controls to
 * {@link MainViewModel} and turns gestures (clicks, keys, drops, pastes) into ViewModel calls.
 */
public final class MainView {
    private final MainViewModel vm;
    private final ViewContext ctx;
    private final GridView<ResultItem> grid;
    private final ComposeView composeView;
    private final PauseTransition hideInfo = new PauseTransition(Duration.seconds(8));

    @FXML private BorderPane root;
    @FXML private javafx.scene.control.MenuBar menuBar;
    @FXML private HBox notificationBar;
    @FXML private Label notificationLabel;
    @FXML private HBox offerBar;
    @FXML private Label offerLabel;
    @FXML private ListView<FolderItem> folderList;
    @FXML private Button removeFolderButton;
    @FXML private StackPane indexingSlot;
    @FXML private TabPane tabs;
    @FXML private Tab searchTab;
    @FXML private Tab composeTab;
    @FXML private Tab duplicatesTab;
    @FXML private Tab modelsTab;
    @FXML private BorderPane searchPane;
    @FXML private TextField searchField;
    @FXML private Label statusLabel;
    @FXML private Label feedbackLabel;
    @FXML private Button refineButton;
    @FXML private Button undoButton;
    @FXML private Button clearFeedbackButton;
    @FXML private StackPane gridSlot;
    @FXML private VBox viewer;
    @FXML private javafx.scene.control.ScrollPane viewerScroll;
    @FXML private ImageView viewerImage;
    @FXML private Label viewerPlaceholder;
    @FXML private Label viewerPath;
    @FXML private Button moreLikeThisButton;
    @FXML private Button composeFromButton;
    @FXML private Button revealButton;
    @FXML private GridPane detailsGrid;

    public MainView(MainViewModel vm, ViewContext ctx) {
        this.vm = vm;
        this.ctx = ctx;
        Fxml.load(this);
        grid = new GridView<>(vm.search().results());
        grid.setId("resultsGrid");
        composeView = new ComposeView(vm.compose(), ctx);
        bindNotifications();
        bindLibrary();
        indexingSlot.getChildren().add(new IndexingView(vm.indexing()).root());
        bindSearch();
        bindViewer();
        composeTab.setContent(composeView.root());
        duplicatesTab.setContent(new DuplicatesView(vm.duplicates(), ctx).root());
        modelsTab.setContent(new ModelsView(vm.models(), ctx).root());
        HelpDialogs.bind(vm.help(), this::window);
        root.setOnDragOver(this::onDragOver);
        root.setOnDragDropped(this::onDragDropped);
        root.sceneProperty().addListener((obs, old, scene) -> {
            if (scene != null) {
                installShortcuts(scene);
            }
        });
    }

    public BorderPane root() {
        return root;
    }

    // ---- notification bar ----------------------------------------------------------------------

    private void bindNotifications() {
        var current = vm.notifications().currentProperty();
        notificationBar.visibleProperty().bind(current.isNotNull());
        notificationBar.managedProperty().bind(current.isNotNull());
        notificationLabel.textProperty().bind(Bindings.createStringBinding(
                () -> current.get() == null ? "" : current.get().text(), current));
        current.addListener((obs, old, msg) -> {
            notificationBar.getStyleClass().removeAll("error", "info");
            hideInfo.stop();
            if (msg != null) {
                notificationBar.getStyleClass().add(msg.level() == Notifications.Level.ERROR ? "error" : "info");
                if (msg.level() == Notifications.Level.INFO) {
                    hideInfo.playFromStart();
                }
            }
        });
        hideInfo.setOnFinished(e -> {
            if (current.get() != null && current.get().level() == Notifications.Level.INFO) {
                vm.notifications().clear();
            }
        });
        var offer = vm.models().offerProperty();
        offerBar.visibleProperty().bind(offer.isNotNull());
        offerBar.managedProperty().bind(offer.isNotNull());
        offerLabel.textProperty().bind(offer);
    }

    @FXML
    private void onCloseNotification() {
        vm.notifications().clear();
    }

    @FXML
    private void onAcceptOffer() {
        vm.models().acceptOffer();
        tabs.getSelectionModel().select(modelsTab);
    }

    @FXML
    private void onDismissOffer() {
        vm.models().dismissOffer();
    }

    // ---- menus ---------------------------------------------------------------------------------

    private javafx.stage.Window window() {
        return root.getScene() == null ? null : root.getScene().getWindow();
    }

    @FXML
    private void onShowLogs() {
        vm.help().showLogs();
    }

    @FXML
    private void onAbout() {
        HelpDialogs.showAbout(vm.help(), window());
    }

    @FXML
    private void onQuit() {
        if (window() != null) {
            window().hide();
        }
    }

    // ---- library -------------------------------------------------------------------------------

    private void bindLibrary() {
        folderList.setItems(vm.library().folders());
        folderList.setPlaceholder(new Label("No folders yet.\nAdd one, or drop it here."));
        folderList.setCellFactory(list -> new ListCell<>() {
            private final Label name = new Label();
            private final Label status = new Label();
            private final VBox box = new VBox(2, name, status);

            {
                name.getStyleClass().add("folder-name");
                status.getStyleClass().add("muted");
            }

            @Override
            protected void updateItem(FolderItem item, boolean empty) {
                super.updateItem(item, empty);
                if (empty || item == null) {
                    setGraphic(null);
                    setTooltip(null);
                } else {
                    name.setText(item.name());
                    status.setText(item.status());
                    setGraphic(box);
                    setTooltip(new Tooltip(item.folder().path().toString()));
                }
            }
        });
        folderList.getSelectionModel().selectedItemProperty().addListener(
                (obs, o, n) -> vm.library().selectedProperty().set(n));
        removeFolderButton.disableProperty().bind(folderList.getSelectionModel().selectedItemProperty().isNull());
        folderList.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.DELETE || e.getCode() == KeyCode.BACK_SPACE) {
                onRemoveFolder();
                e.consume();
            }
        });
    }

    @FXML
    private void onAddFolder() {
        Path folder = ctx.choosers().chooseFolder(root.getScene() == null ? null : root.getScene().getWindow(),
                "Add a folder of photos");
        vm.library().addFolder(folder);
    }

    @FXML
    private void onRemoveFolder() {
        FolderItem item = folderList.getSelectionModel().getSelectedItem();
        if (item == null) {
            vm.notifications().info("Select a folder to remove.");
            return;
        }
        if (ctx.confirmer().confirm("Remove " + item.name() + " from the library?",
                "Its photos leave Ocular's index. The files stay on disk.\n" + item.folder().path(), "Remove")) {
            vm.library().remove(item);
        }
    }

    // ---- drag and drop -------------------------------------------------------------------------

    private void onDragOver(DragEvent e) {
        if (e.getDragboard().hasFiles()) {
            e.acceptTransferModes(TransferMode.COPY, TransferMode.LINK);
        }
        e.consume();
    }

    private void onDragDropped(DragEvent e) {
        boolean ok = e.getDragboard().hasFiles();
        if (ok) {
            List<Path> files = e.getDragboard().getFiles().stream().map(File::toPath).toList();
            Node target = e.getPickResult() == null ? null : e.getPickResult().getIntersectedNode();
            handleDrop(files, target);
        }
        e.setDropCompleted(ok);
        e.consume();
    }

    /**
     * Files dropped on {@code target}: one image on the search area searches by it, on the compose tab it
     * becomes the reference; folders (or drops elsewhere) go to the library.
     */
    public void handleDrop(List<Path> files, Node target) {
        if (files.isEmpty()) {
            return;
        }
        boolean anyFolder = files.stream().anyMatch(Files::isDirectory);
        if (!anyFolder && files.size() == 1 && target != null) {
            Path file = files.get(0);
            if (isInside(target, searchPane)) {
                vm.search().searchFile(file);
                return;
            }
            if (isInside(target, composeView.root())) {
                vm.compose().useReferenceFile(file);
                return;
            }
        }
        vm.library().drop(files);
    }

    private static boolean isInside(Node node, Node ancestor) {
        for (Node n = node; n != null; n = n.getParent()) {
            if (n == ancestor) {
                return true;
            }
        }
        return false;
    }

    // ---- search and results --------------------------------------------------------------------

    private void bindSearch() {
        SearchViewModel s = vm.search();
        searchField.textProperty().bindBidirectional(s.queryTextProperty());
        searchField.setOnAction(e -> s.searchText());
        searchField.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (new KeyCodeCombination(KeyCode.V, KeyCombination.SHORTCUT_DOWN).match(e) && pasteImage()) {
                e.consume();
            }
        });
        statusLabel.textProperty().bind(s.statusProperty());
        feedbackLabel.textProperty().bind(Bindings.createStringBinding(() -> s.roundCountProperty().get() == 0
                ? "Mark results with + / − then Refine" : "Feedback rounds: " + s.roundCountProperty().get(),
                s.roundCountProperty()));
        refineButton.disableProperty().bind(Bindings.isEmpty(s.results()));
        undoButton.disableProperty().bind(s.roundCountProperty().isEqualTo(0));
        clearFeedbackButton.disableProperty().bind(s.roundCountProperty().isEqualTo(0));

        grid.setCellWidth(156);
        grid.setCellHeight(156);
        grid.setHorizontalCellSpacing(4);
        grid.setVerticalCellSpacing(4);
        grid.setFocusTraversable(true);
        ContextMenu menu = resultMenu();
        grid.setCellFactory(g -> {
            ResultCell cell = new ResultCell(ctx.thumbnails(), s, c -> s.moreLikeThis(c.getItem()));
            cell.setContextMenu(menu);
            cell.addEventHandler(javafx.scene.input.MouseEvent.MOUSE_PRESSED, e -> grid.requestFocus());
            return cell;
        });
        grid.setOnKeyPressed(this::onGridKey);
        Label empty = new Label();
        empty.setId("emptyHint");
        // with no folders yet, the grid invites the first step: drops anywhere in the window add folders
        empty.textProperty().bind(Bindings.when(Bindings.isEmpty(vm.library().folders()))
                .then("Drop folders of photos here to start,\nor use ＋ Add folder… on the left.")
                .otherwise("Search by words, or drop a photo on the search bar."));
        empty.getStyleClass().add("empty-hint");
        empty.visibleProperty().bind(Bindings.isEmpty(s.results()));
        empty.setMouseTransparent(true);
        gridSlot.getChildren().addAll(grid, empty);
    }

    private ContextMenu resultMenu() {
        SearchViewModel s = vm.search();
        MenuItem relevant = new MenuItem("Relevant  (+)");
        relevant.setOnAction(e -> s.markSelected(Mark.RELEVANT));
        MenuItem notRelevant = new MenuItem("Not relevant  (−)");
        notRelevant.setOnAction(e -> s.markSelected(Mark.NOT_RELEVANT));
        MenuItem clear = new MenuItem("Clear mark  (0)");
        clear.setOnAction(e -> s.markSelected(Mark.NONE));
        MenuItem more = new MenuItem("More like this  (Enter)");
        more.setOnAction(e -> s.moreLikeThis(s.focusedProperty().get()));
        MenuItem compose = new MenuItem("Compose from this");
        compose.setOnAction(e -> onComposeFrom());
        MenuItem reveal = new MenuItem("Show in folder");
        reveal.setOnAction(e -> onReveal());
        return new ContextMenu(relevant, notRelevant, clear, new SeparatorMenuItem(), more, compose, reveal);
    }

    private void onGridKey(KeyEvent e) {
        SearchViewModel s = vm.search();
        int focus = s.focusedProperty().get() == null ? -1 : s.results().indexOf(s.focusedProperty().get());
        int columns = Math.max(1, (int) ((grid.getWidth() - 20) / (grid.getCellWidth() + 2 * grid.getHorizontalCellSpacing())));
        switch (e.getCode()) {
            case PLUS, ADD, EQUALS -> s.markSelected(Mark.RELEVANT);
            case MINUS, SUBTRACT -> s.markSelected(Mark.NOT_RELEVANT);
            case DIGIT0, NUMPAD0 -> s.markSelected(Mark.NONE);
            case ENTER -> s.moreLikeThis(s.focusedProperty().get());
            case A -> {
                if (e.isShortcutDown()) {
                    s.selectAll();
                } else {
                    return;
                }
            }
            case RIGHT -> move(focus + 1, e);
            case LEFT -> move(focus - 1, e);
            case DOWN -> move(focus < 0 ? 0 : focus + columns, e);
            case UP -> move(focus - columns, e);
            default -> {
                return;
            }
        }
        e.consume();
    }

    private void move(int index, KeyEvent e) {
        if (index >= 0 && index < vm.search().results().size()) {
            vm.search().click(index, false, e.isShiftDown());
        }
    }

    /** Ctrl+V in the search bar with files or a bitmap on the clipboard searches by that image. */
    private boolean pasteImage() {
        Clipboard cb = Clipboard.getSystemClipboard();
        if (cb.hasFiles() && !cb.getFiles().isEmpty()) {
            vm.search().searchFile(cb.getFiles().get(0).toPath());
            return true;
        }
        if (cb.hasImage()) {
            Image image = cb.getImage();
            var awt = SwingFXUtils.fromFXImage(image, null);
            CompletableFuture.supplyAsync(() -> {
                try {
                    Path tmp = Files.createTempFile("ocular-paste-", ".png");
                    tmp.toFile().deleteOnExit();
                    ImageIO.write(awt, "png", tmp.toFile());
                    return tmp;
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            }, ctx.executors().background()).whenCompleteAsync((tmp, failure) -> {
                if (failure != null) {
                    vm.notifications().failure("Pasting the image", failure);
                } else {
                    vm.search().searchFile(tmp);
                }
            }, ctx.executors().ui());
            return true;
        }
        return false;
    }

    @FXML
    private void onSearch() {
        vm.search().searchText();
    }

    @FXML
    private void onRefine() {
        vm.search().refine();
    }

    @FXML
    private void onUndo() {
        vm.search().undoRound();
    }

    @FXML
    private void onClearFeedback() {
        vm.search().clearFeedback();
    }

    // ---- viewer --------------------------------------------------------------------------------

    private void bindViewer() {
        ViewerViewModel v = vm.viewer();
        // Sized from the scroll pane's viewport, not from the VBox it sits in (that would grow with the image).
        viewerImage.fitWidthProperty().bind(Bindings.createDoubleBinding(
                () -> Math.max(160, viewerScroll.getViewportBounds().getWidth() - 40), viewerScroll.viewportBoundsProperty()));
        viewerImage.setFitHeight(420);
        viewerPlaceholder.visibleProperty().bind(v.itemProperty().isNull());
        moreLikeThisButton.disableProperty().bind(v.itemProperty().isNull());
        composeFromButton.disableProperty().bind(v.itemProperty().isNull());
        revealButton.disableProperty().bind(v.itemProperty().isNull());
        v.itemProperty().addListener((obs, old, item) -> {
            if (item == null) {
                viewerImage.setImage(null);
                viewerPath.setText("");
                return;
            }
            Path p = item.hit().path();
            viewerPath.setText(p.toString());
            Image cached = ctx.thumbnails().cached(p);
            viewerImage.setImage(cached);
            if (ImageFiles.looksLikeImage(p) && Files.exists(p)) {
                Image large = new Image(p.toUri().toString(), 1200, 1200, true, true, true);
                large.progressProperty().addListener((o, a, b) -> {
                    if (b.doubleValue() >= 1 && !large.isError() && v.itemProperty().get() == item) {
                        viewerImage.setImage(large);
                    }
                });
            }
        });
        v.details().addListener((ListChangeListener<Map.Entry<String, String>>) c -> {
            detailsGrid.getChildren().clear();
            int row = 0;
            for (Map.Entry<String, String> e : v.details()) {
                Label key = new Label(e.getKey());
                key.getStyleClass().add("detail-key");
                Label value = new Label(e.getValue());
                value.setWrapText(true);
                detailsGrid.addRow(row++, key, value);
            }
        });
    }

    @FXML
    private void onMoreLikeThis() {
        vm.search().moreLikeThis(vm.viewer().itemProperty().get());
    }

    @FXML
    private void onComposeFrom() {
        ResultItem item = vm.search().focusedProperty().get();
        vm.composeFrom(item);
        if (item != null) {
            tabs.getSelectionModel().select(composeTab);
        }
    }

    @FXML
    private void onReveal() {
        ResultItem item = vm.viewer().itemProperty().get();
        if (item != null) {
            FileManager.reveal(item.hit().path(), ctx.executors().background(), ctx.executors().ui(),
                    vm.notifications());
        }
    }

    // ---- keyboard ------------------------------------------------------------------------------

    private void installShortcuts(Scene scene) {
        var acc = scene.getAccelerators();
        // Ctrl+O (Add folder) and Ctrl+Q (Quit) are the File menu's accelerators
        acc.put(new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN), () -> {
            tabs.getSelectionModel().select(searchTab);
            searchField.requestFocus();
            searchField.selectAll();
        });
        acc.put(new KeyCodeCombination(KeyCode.R, KeyCombination.SHORTCUT_DOWN), vm.search()::refine);
        acc.put(new KeyCodeCombination(KeyCode.Z, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN),
                vm.search()::undoRound);
        acc.put(new KeyCodeCombination(KeyCode.P, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN),
                vm.indexing()::togglePause);
        acc.put(new KeyCodeCombination(KeyCode.DIGIT1, KeyCombination.SHORTCUT_DOWN), () -> tabs.getSelectionModel().select(searchTab));
        acc.put(new KeyCodeCombination(KeyCode.DIGIT2, KeyCombination.SHORTCUT_DOWN), () -> tabs.getSelectionModel().select(composeTab));
        acc.put(new KeyCodeCombination(KeyCode.DIGIT3, KeyCombination.SHORTCUT_DOWN), () -> tabs.getSelectionModel().select(duplicatesTab));
        acc.put(new KeyCodeCombination(KeyCode.DIGIT4, KeyCombination.SHORTCUT_DOWN), () -> tabs.getSelectionModel().select(modelsTab));
        scene.addEventHandler(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ESCAPE) {
                if (vm.notifications().current() != null) {
                    vm.notifications().clear();
                }
                if (tabs.getSelectionModel().getSelectedItem() == searchTab) {
                    vm.search().escape();
                }
                e.consume();
            }
        });
    }

    /** The results grid (tests, focus). */
    public GridView<ResultItem> grid() {
        return grid;
    }
}

package io.ocular.ui.main;

import io.ocular.ui.common.FileManager;
import io.ocular.ui.common.Fxml;
import io.ocular.ui.common.ViewContext;
import io.ocular.ui.compose.ComposeView;
import io.ocular.ui.duplicates.DuplicatesView;
import io.ocular.ui.help.HelpDialogs;
import io.ocular.ui.models.ModelsView;
import io.ocular.ui.settings.ComposerSettingsView;
import io.ocular.ui.settings.LibraryLocationView;
import io.ocular.ui.settings.SettingsView;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Separator;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.input.DragEvent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The window's frame: the menu, the notification pane on top, the library pane on the left, and tabs for
 * search (search pane with the viewer pane), composed retrieval, duplicates and models. It places the panes,
 * routes drops and window-wide shortcuts, and connects what one pane asks of another (compose from a result).
 */
public final class MainView {
    private final MainViewModel vm;
    private final ViewContext ctx;
    private final LibraryView libraryView;
    private final SearchView searchView;
    private final ComposeView composeView;

    @FXML private BorderPane root;
    @FXML private VBox top;
    @FXML private StackPane librarySlot;
    @FXML private TabPane tabs;
    @FXML private Tab searchTab;
    @FXML private Tab composeTab;
    @FXML private Tab duplicatesTab;
    @FXML private Tab modelsTab;

    public MainView(MainViewModel vm, ViewContext ctx) {
        this.vm = vm;
        this.ctx = ctx;
        Fxml.load(this, ctx.messages());
        top.getChildren().add(new NotificationView(vm.notifications(), vm.models(),
                () -> tabs.getSelectionModel().select(modelsTab), ctx.messages()).root());
        libraryView = new LibraryView(vm.library(), vm.browse(), vm.indexing(), vm.codeTraining(), vm.notifications(), ctx);
        librarySlot.getChildren().add(libraryView.root()); // a slot, so focus goes library first, then tabs
        ViewerView viewerView = new ViewerView(vm.viewer(), ctx, new ViewerView.Actions() {
            @Override
            public void moreLikeThis(ResultItem item) {
                vm.search().moreLikeThis(item);
            }

            @Override
            public void findObject(ResultItem item) {
                vm.findObject(item);
            }

            @Override
            public void showMatch(ResultItem item) {
                vm.showMatch(item);
            }

            @Override
            public void composeFrom() {
                MainView.this.composeFrom();
            }

            @Override
            public void reveal(ResultItem item) {
                MainView.this.reveal(item);
            }
        });
        new MatchView(vm.match(), this::window, ctx.messages());
        searchView = new SearchView(vm.search(), vm.library(), viewerView.root(), vm.notifications(), ctx,
                new SearchView.Actions() {
                    @Override
                    public void composeFrom() {
                        MainView.this.composeFrom();
                    }

                    @Override
                    public void reveal(ResultItem item) {
                        MainView.this.reveal(item);
                    }
                }, vm.textModels());
        searchTab.setContent(searchView.root());
        composeView = new ComposeView(vm.compose(), ctx);
        composeTab.setContent(composeView.root());
        duplicatesTab.setContent(new DuplicatesView(vm.duplicates(), ctx).root());
        VBox modelsAndSettings = new VBox(new ModelsView(vm.models(), ctx).root(), new Separator(),
                new SettingsView(vm.settings(), ctx.messages()).root(), new Separator(),
                new LibraryLocationView(vm.libraryLocation(), ctx.messages()).root(), new Separator(),
                new ComposerSettingsView(vm.composerSettings(), ctx.messages()).root());
        // one scrolling page: with four sections in a fixed-height box the models list was squeezed to no rows
        modelsAndSettings.setFillWidth(true);
        ScrollPane modelsPage = new ScrollPane(modelsAndSettings);
        modelsPage.setFitToWidth(true);
        modelsPage.setId("modelsPage");
        modelsTab.setContent(modelsPage);
        searchView.grid().cellSizeProperty().bind(vm.settings().thumbnailSizeProperty());
        HelpDialogs.bind(vm.help(), this::window, ctx.messages());
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

    /** The search pane (tests). */
    public SearchView searchView() {
        return searchView;
    }

    /** The photo grid (tests, focus). */
    public PhotoGrid grid() {
        return searchView.grid();
    }

    // ---- what one pane asks of another ---------------------------------------------------------

    /** "Compose from this" on the focused result: the compose tab comes forward with it as reference. */
    private void composeFrom() {
        ResultItem item = vm.search().focusedProperty().get();
        vm.composeFrom(item);
        if (item != null) {
            tabs.getSelectionModel().select(composeTab);
        }
    }

    private void reveal(ResultItem item) {
        FileManager.reveal(item.hit().path(), ctx.executors().background(), ctx.executors().ui(), vm.notifications(),
                ctx.messages());
    }

    // ---- menus ---------------------------------------------------------------------------------

    private Window window() {
        return root.getScene() == null ? null : root.getScene().getWindow();
    }

    @FXML
    private void onAddFolder() {
        libraryView.chooseAndAddFolder();
    }

    @FXML
    private void onShowLogs() {
        vm.help().showLogs();
    }

    @FXML
    private void onAbout() {
        HelpDialogs.showAbout(vm.help(), window(), ctx.messages());
    }

    @FXML
    private void onQuit() {
        if (window() != null) {
            window().hide();
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
     * Files dropped on {@code target}: one image on the search pane searches by it, on the compose tab it
     * becomes the reference; folders (or drops elsewhere) go to the library.
     */
    public void handleDrop(List<Path> files, Node target) {
        if (files.isEmpty()) {
            return;
        }
        boolean anyFolder = files.stream().anyMatch(Files::isDirectory);
        if (!anyFolder && files.size() == 1 && target != null) {
            Path file = files.get(0);
            if (isInside(target, searchView.root())) {
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

    // ---- keyboard ------------------------------------------------------------------------------

    private void installShortcuts(Scene scene) {
        var acc = scene.getAccelerators();
        // Ctrl+O (Add folder) and Ctrl+Q (Quit) are the File menu's accelerators
        acc.put(new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN), () -> {
            tabs.getSelectionModel().select(searchTab);
            searchView.focusSearchField();
        });
        acc.put(new KeyCodeCombination(KeyCode.R, KeyCombination.SHORTCUT_DOWN), vm.search()::refine);
        acc.put(new KeyCodeCombination(KeyCode.Z, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN),
                vm.search()::undoRound);
        acc.put(new KeyCodeCombination(KeyCode.P, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN),
                vm.indexing()::togglePause);
        List<Tab> numbered = List.of(searchTab, composeTab, duplicatesTab, modelsTab);
        List<KeyCode> digits = List.of(KeyCode.DIGIT1, KeyCode.DIGIT2, KeyCode.DIGIT3, KeyCode.DIGIT4);
        for (int i = 0; i < numbered.size(); i++) {
            Tab tab = numbered.get(i);
            acc.put(new KeyCodeCombination(digits.get(i), KeyCombination.SHORTCUT_DOWN),
                    () -> tabs.getSelectionModel().select(tab));
        }
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
}

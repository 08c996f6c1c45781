package io.ocular.ui.main;

import io.ocular.ui.common.Fxml;
import io.ocular.ui.common.Notifications;
import io.ocular.ui.common.UiTask;
import io.ocular.ui.common.ViewContext;
import javafx.beans.binding.Bindings;
import javafx.collections.ObservableList;
import javafx.embed.swing.SwingFXUtils;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextField;
import javafx.scene.image.Image;
import javafx.scene.input.Clipboard;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The search pane: search bar, feedback buttons and the results grid, with the viewer pane beside the grid.
 * Turns typing, pasting, clicks and keys into {@link SearchViewModel} calls.
 */
public final class SearchView {

    /** What the result menu does beyond searching; the window decides (it reaches other panes). */
    public interface Actions {
        void composeFrom();

        void reveal(ResultItem item);
    }

    private final SearchViewModel search;
    private final ViewContext ctx;
    private final Actions actions;
    private final PhotoGrid grid;
    private final UiTask pasting;
    private final DateIndicator dateIndicator;

    @FXML private BorderPane searchPane;
    @FXML private VBox header;
    @FXML private HBox searchRow;
    @FXML private TextField searchField;
    @FXML private Label statusLabel;
    @FXML private Label feedbackLabel;
    @FXML private Button refineButton;
    @FXML private Button undoButton;
    @FXML private Button clearFeedbackButton;
    @FXML private SplitPane resultsSplit;
    @FXML private StackPane gridSlot;

    /**
     * @param folders the library's folders (with none yet, the empty grid invites the first step)
     * @param viewer  the viewer pane, shown beside the grid
     */
    public SearchView(SearchViewModel search, LibraryViewModel library, Node viewer,
                      Notifications notifications, ViewContext ctx, Actions actions) {
        this(search, library, viewer, notifications, ctx, actions, null);
    }

    /** @param textModels "Search words with: …" beside the search bar, or null for none */
    public SearchView(SearchViewModel search, LibraryViewModel library, Node viewer,
                      Notifications notifications, ViewContext ctx, Actions actions, TextModelViewModel textModels) {
        this.search = Objects.requireNonNull(search, "search");
        this.ctx = Objects.requireNonNull(ctx, "ctx");
        this.actions = Objects.requireNonNull(actions, "actions");
        this.pasting = UiTask.everyRun(ctx.messages().get("task.paste"), ctx.executors(), notifications);
        Fxml.load(this, ctx.messages());
        grid = new PhotoGrid(search, ctx.thumbnails(), c -> search.moreLikeThis(c.getItem()), ctx.messages());
        grid.node().setId("resultsGrid");
        PerfProbe.attachIfEnabled(grid); // off unless -Docular.perf.log / -Docular.perf.scroll
        resultsSplit.getItems().add(viewer);
        bindHeader();
        searchRow.getChildren().add(0, new QueryChipView(search, ctx.messages()).root());
        if (textModels != null) { // beside the search button: which model reads the words
            searchRow.getChildren().add(searchRow.getChildren().size() - 1,
                    new TextModelView(textModels, ctx.messages()).root());
        }
        header.getChildren().add(1, new ResultViewBar(search, library, ctx.messages()).root());
        bindGrid(library.folders());
        dateIndicator = new DateIndicator(grid, search, ctx.messages());
        gridSlot.getChildren().add(dateIndicator.node());
    }

    /** The date scrubber's label over the grid (tests). */
    public DateIndicator dateIndicator() {
        return dateIndicator;
    }

    public BorderPane root() {
        return searchPane;
    }

    /** The photo grid (tests, focus, thumbnail size). */
    public PhotoGrid grid() {
        return grid;
    }

    /** Ctrl+F: the search bar, its text selected. */
    public void focusSearchField() {
        searchField.requestFocus();
        searchField.selectAll();
    }

    private void bindHeader() {
        searchField.textProperty().bindBidirectional(search.queryTextProperty());
        searchField.setOnAction(e -> search.searchText());
        searchField.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (new KeyCodeCombination(KeyCode.V, KeyCombination.SHORTCUT_DOWN).match(e) && pasteImage()) {
                e.consume();
            }
        });
        statusLabel.textProperty().bind(search.statusProperty());
        var rounds = search.roundCountProperty();
        var msg = ctx.messages();
        feedbackLabel.textProperty().bind(Bindings.createStringBinding(() -> rounds.get() == 0
                ? msg.get("search.feedbackHint") : msg.format("search.feedbackRounds", rounds.get()), rounds));
        refineButton.disableProperty().bind(Bindings.isEmpty(search.results()).or(search.browsingProperty()));
        undoButton.disableProperty().bind(rounds.isEqualTo(0));
        clearFeedbackButton.disableProperty().bind(rounds.isEqualTo(0));
    }

    private void bindGrid(ObservableList<FolderItem> folders) {
        grid.node().setFocusTraversable(true);
        grid.setContextMenu(resultMenu());
        // a filter: the grid's keys never reach the list underneath (which would scroll rows of its own)
        grid.node().addEventFilter(KeyEvent.KEY_PRESSED, this::onGridKey);
        Label empty = new Label();
        empty.setId("emptyHint");
        // with no folders yet, the grid invites the first step: drops anywhere in the window add folders
        empty.textProperty().bind(Bindings.when(Bindings.isEmpty(folders))
                .then(ctx.messages().get("search.emptyNoFolders"))
                .otherwise(ctx.messages().get("search.emptyNoPhotos")));
        empty.getStyleClass().add("empty-hint");
        empty.visibleProperty().bind(Bindings.isEmpty(search.results()));
        empty.setMouseTransparent(true);
        gridSlot.getChildren().addAll(grid.node(), empty);
    }

    private ContextMenu resultMenu() {
        var msg = ctx.messages();
        MenuItem relevant = new MenuItem(msg.get("menu.relevant"));
        relevant.setOnAction(e -> search.markSelected(Mark.RELEVANT));
        MenuItem notRelevant = new MenuItem(msg.get("menu.notRelevant"));
        notRelevant.setOnAction(e -> search.markSelected(Mark.NOT_RELEVANT));
        MenuItem clear = new MenuItem(msg.get("menu.clearMark"));
        clear.setOnAction(e -> search.markSelected(Mark.NONE));
        MenuItem more = new MenuItem(msg.get("menu.moreLikeThis"));
        more.setOnAction(e -> search.moreLikeThis(search.focusedProperty().get()));
        MenuItem compose = new MenuItem(msg.get("menu.composeFrom"));
        compose.setOnAction(e -> actions.composeFrom());
        MenuItem reveal = new MenuItem(msg.get("menu.showInFolder"));
        reveal.setOnAction(e -> {
            ResultItem item = search.focusedProperty().get();
            if (item != null) {
                actions.reveal(item);
            }
        });
        return new ContextMenu(relevant, notRelevant, clear, new SeparatorMenuItem(), more, compose, reveal);
    }

    private void onGridKey(KeyEvent e) {
        int focus = search.focusedProperty().get() == null ? -1 : search.results().indexOf(search.focusedProperty().get());
        switch (e.getCode()) {
            case PLUS, ADD, EQUALS -> search.markSelected(Mark.RELEVANT);
            case MINUS, SUBTRACT -> search.markSelected(Mark.NOT_RELEVANT);
            case DIGIT0, NUMPAD0 -> search.markSelected(Mark.NONE);
            case ENTER -> search.moreLikeThis(search.focusedProperty().get());
            case A -> {
                if (e.isShortcutDown()) {
                    search.selectAll();
                } else {
                    return;
                }
            }
            case RIGHT -> move(focus + 1, e);
            case LEFT -> move(focus - 1, e);
            case DOWN -> move(focus < 0 ? 0 : grid.rows().verticalNeighbour(focus, 1), e);
            case UP -> move(grid.rows().verticalNeighbour(focus, -1), e);
            case HOME -> move(0, e);
            case END -> move(search.results().size() - 1, e);
            default -> {
                return;
            }
        }
        e.consume();
    }

    private void move(int index, KeyEvent e) {
        if (index >= 0 && index < search.results().size()) {
            search.click(index, false, e.isShiftDown());
        }
    }

    /** Ctrl+V in the search bar with files or a bitmap on the clipboard searches by that image. */
    private boolean pasteImage() {
        Clipboard cb = Clipboard.getSystemClipboard();
        if (cb.hasFiles() && !cb.getFiles().isEmpty()) {
            search.searchFile(cb.getFiles().get(0).toPath());
            return true;
        }
        if (cb.hasImage()) {
            Image image = cb.getImage();
            var awt = SwingFXUtils.fromFXImage(image, null);
            pasting.supply(() -> {
                try {
                    Path tmp = Files.createTempFile("ocular-paste-", ".png");
                    tmp.toFile().deleteOnExit();
                    ImageIO.write(awt, "png", tmp.toFile());
                    return tmp;
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            }).onSuccess(search::searchFile).start();
            return true;
        }
        return false;
    }

    @FXML
    private void onSearch() {
        search.searchText();
    }

    @FXML
    private void onRefine() {
        search.refine();
    }

    @FXML
    private void onUndo() {
        search.undoRound();
    }

    @FXML
    private void onClearFeedback() {
        search.clearFeedback();
    }
}

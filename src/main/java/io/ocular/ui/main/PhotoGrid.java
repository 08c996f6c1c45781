package io.ocular.ui.main;

import io.ocular.ui.common.Messages;
import io.ocular.ui.common.ThumbnailLoader;
import javafx.application.Platform;
import javafx.beans.Observable;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.IndexedCell;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.skin.VirtualFlow;
import javafx.scene.image.Image;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.HBox;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The photo grid of the search pane: the search ViewModel's results (search hits or the browsed library),
 * laid out by {@link GridRows}, with a month header over each month while the photos are in date order
 * (browsing, or results sorted by date). A {@link ListView} of rows underneath, so it is virtualised: only
 * the rows on screen have nodes, whether the list holds 20 photos or 100,000. Relaid out (keeping the top
 * photo in place) when the results, the width, the thumbnail size or the order change.
 *
 * <p>Hand-made over ControlsFX's GridView because that one has no room for headers between rows.
 */
public final class PhotoGrid {
    /** Space between thumbnails, in pixels. */
    public static final double SPACING = 4;

    private final ListView<GridRows.Row> list = new ListView<>();
    private final ObservableList<ResultItem> items;
    private final SearchViewModel search;
    private final ThumbnailLoader<Image> thumbnails;
    private final DoubleProperty cellSize = new SimpleDoubleProperty(this, "cellSize", 156);
    private final ZoneId zone = ZoneId.systemDefault();
    private final List<Consumer<ResultCell>> cellSetup = new ArrayList<>();
    private final Consumer<ResultCell> onDoubleClick;
    private final Messages msg;
    private GridRows rows = GridRows.empty(1);
    private VirtualFlow<?> flow;
    private boolean pending;
    private long firstId = Long.MIN_VALUE;

    /** @param onDoubleClick what a double click on a photo does */
    public PhotoGrid(SearchViewModel search, ThumbnailLoader<Image> thumbnails, Consumer<ResultCell> onDoubleClick,
                     Messages msg) {
        this.search = search;
        this.msg = msg;
        this.items = search.results();
        this.thumbnails = thumbnails;
        this.onDoubleClick = onDoubleClick;
        list.getStyleClass().add("photo-grid");
        // the grid selects photos, not rows: the list has no selection or focus of its own
        list.setSelectionModel(null);
        list.setFocusModel(null);
        list.setCellFactory(l -> new RowCell());
        // the list would swallow Esc (it cancels cell edits); the window's Esc (leave the results) must see it
        list.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ESCAPE && list.getParent() != null) {
                e.consume();
                list.getParent().fireEvent(e.copyFor(list.getParent(), list.getParent()));
            }
        });
        items.addListener((ListChangeListener<ResultItem>) c -> layoutNow(false));
        list.widthProperty().addListener((Observable o) -> relayoutLater());
        cellSize.addListener((Observable o) -> relayoutLater());
        search.viewProperty().addListener((Observable o) -> layoutNow(false));
        search.browsingProperty().addListener((Observable o) -> layoutNow(false));
        search.focusedProperty().addListener((obs, o, n) -> reveal(n));
        layoutNow(false);
    }

    /** The control, to be placed in the window. */
    public ListView<GridRows.Row> node() {
        return list;
    }

    /** The thumbnails' width and height (the user's thumbnail size). */
    public DoubleProperty cellSizeProperty() {
        return cellSize;
    }

    /** Adds something every photo cell gets (a context menu, a mouse handler); call before the grid shows. */
    public void onEachCell(Consumer<ResultCell> setup) {
        cellSetup.add(setup);
    }

    /** Sets the context menu of every photo. */
    public void setContextMenu(ContextMenu menu) {
        onEachCell(c -> c.setContextMenu(menu));
    }

    /** The rows as laid out now. */
    public GridRows rows() {
        return rows;
    }

    /** The view model whose results the grid shows (the window measurement searches through it). */
    SearchViewModel search() {
        return search;
    }

    /** Photos in the grid. */
    int photoCount() {
        return items.size();
    }

    /** Photos per row at the current width. */
    public int columns() {
        return rows.columns();
    }

    /** Whether the photos are in date order now, so months have headers. */
    public boolean dated() {
        return search.browsingProperty().get() || search.viewProperty().get().order() != ResultView.Order.RELEVANCE;
    }

    /** The index of the first photo of the top row on screen (a header counts as its month's first), or -1. */
    public int firstVisibleIndex() {
        VirtualFlow<?> f = flow();
        if (f == null || items.isEmpty()) {
            return items.isEmpty() ? -1 : 0;
        }
        IndexedCell<?> top = f.getFirstVisibleCell();
        if (top == null || top.getIndex() < 0 || top.getIndex() >= rows.rows().size()) {
            return 0;
        }
        return Math.min(rows.rows().get(top.getIndex()).first(), items.size() - 1);
    }

    /** The list's scrolling, once it is shown (null before). */
    public VirtualFlow<?> flow() {
        if (flow == null && list.lookup(".virtual-flow") instanceof VirtualFlow<?> f) {
            flow = f;
        }
        return flow;
    }

    private int columnsFor(double width) {
        double inner = width - list.snappedLeftInset() - list.snappedRightInset() - 18; // room for the scroll bar
        return Math.max(1, (int) Math.floor((inner + SPACING) / (cellSize.get() + SPACING)));
    }

    /** Relays out the rows once per pulse (a window resize changes the width many times), in place. */
    private void relayoutLater() {
        if (!pending) {
            pending = true;
            Platform.runLater(() -> {
                pending = false;
                layoutNow(true);
            });
        }
    }

    /**
     * Lays the rows out again. The top photo stays in place when only the layout changed ({@code inPlace})
     * or when the list still starts with the same photo (the library read again while indexing); other
     * changes (a new search, another folder, another order) start at the top.
     */
    private void layoutNow(boolean inPlace) {
        int columns = columnsFor(list.getWidth() > 0 ? list.getWidth() : 1000);
        List<ResultItem> now = items;
        long first = now.isEmpty() ? Long.MIN_VALUE : now.get(0).id();
        int keep = inPlace || first == firstId ? firstVisibleIndex() : 0;
        firstId = first;
        GridRows next = GridRows.build(now.size(), columns, dated() ? search::dateAt : null, zone,
                msg.locale(), msg.get("grid.dateUnknown"));
        if (next.equals(rows)) {
            list.refresh(); // same shape, maybe other photos
        } else {
            rows = next;
            list.getItems().setAll(next.rows());
        }
        int row = keep > 0 ? next.rowOf(keep) : -1;
        list.scrollTo(row > 0 && next.rows().get(row - 1) instanceof GridRows.Header ? row - 1 : Math.max(row, 0));
    }

    /** Scrolls just enough to show the focused photo. */
    private void reveal(ResultItem item) {
        VirtualFlow<?> f = flow();
        if (item == null || f == null) {
            return;
        }
        int index = items.indexOf(item);
        int row = index < 0 ? -1 : rows.rowOf(index);
        if (row >= 0) {
            f.scrollTo(row);
        }
    }

    /** One row: a month header, or up to {@link #columns()} photos. */
    private final class RowCell extends ListCell<GridRows.Row> {
        private final HBox photos = new HBox(SPACING);
        private final Label header = new Label("");
        private final Label count = new Label("");
        private final HBox headerBox = new HBox(8, header, count);
        private final List<ResultCell> cells = new ArrayList<>();

        RowCell() {
            getStyleClass().add("photo-row");
            photos.getStyleClass().add("photo-row-cells");
            header.getStyleClass().add("month-header");
            count.getStyleClass().add("month-count");
            headerBox.getStyleClass().add("month-header-box");
            headerBox.setAlignment(Pos.BASELINE_LEFT);
            setText(null);
        }

        @Override
        protected void updateItem(GridRows.Row row, boolean empty) {
            super.updateItem(row, empty);
            if (empty || row == null) {
                clearCells(0);
                setGraphic(null);
            } else if (row instanceof GridRows.Header h) {
                clearCells(0);
                header.setText(h.label());
                count.setText(msg.number(h.count()));
                setGraphic(headerBox);
            } else if (row instanceof GridRows.Photos p) {
                while (cells.size() < p.size()) {
                    ResultCell cell = new ResultCell(thumbnails, search, onDoubleClick, cellSize, msg);
                    cell.addEventHandler(MouseEvent.MOUSE_PRESSED, e -> list.requestFocus());
                    cellSetup.forEach(s -> s.accept(cell));
                    cells.add(cell);
                }
                List<Node> shown = new ArrayList<>(p.size());
                for (int i = 0; i < p.size(); i++) {
                    int index = p.first() + i;
                    ResultCell cell = cells.get(i);
                    cell.show(index, index < items.size() ? items.get(index) : null);
                    shown.add(cell);
                }
                clearCells(p.size());
                if (!photos.getChildren().equals(shown)) {
                    photos.getChildren().setAll(shown);
                }
                setGraphic(photos);
            }
        }

        /** Points the cells from {@code from} on at nothing (they stop loading and listening). */
        private void clearCells(int from) {
            for (int i = from; i < cells.size(); i++) {
                cells.get(i).show(-1, null);
            }
        }
    }
}

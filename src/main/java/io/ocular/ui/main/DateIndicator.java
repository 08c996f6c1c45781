package io.ocular.ui.main;

import io.ocular.ui.common.Messages;
import javafx.application.Platform;
import javafx.beans.value.ChangeListener;
import javafx.collections.ListChangeListener;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.IndexedCell;
import javafx.scene.control.Label;
import javafx.scene.control.skin.VirtualFlow;
import javafx.scene.layout.StackPane;
import org.controlsfx.control.GridView;

import java.time.ZoneId;

/**
 * The date scrubber's label over the grid: while photos are in date order (browsing, or results sorted by
 * date) it shows the month and year of the first visible row ("March 2024") and follows the grid as it
 * scrolls or as the scroll bar is dragged. Hidden in relevance order, where dates jump around.
 */
public final class DateIndicator {
    private final Label label = new Label();
    private final GridView<ResultItem> grid;
    private final SearchViewModel search;
    private final ZoneId zone = ZoneId.systemDefault();
    private final Messages msg;
    private VirtualFlow<?> flow;
    private boolean pending;

    public DateIndicator(GridView<ResultItem> grid, SearchViewModel search, Messages msg) {
        this.msg = msg;
        this.grid = grid;
        this.search = search;
        label.setId("dateIndicator");
        label.getStyleClass().add("date-indicator");
        label.setMouseTransparent(true);
        StackPane.setAlignment(label, Pos.TOP_RIGHT);
        label.setVisible(false);
        ChangeListener<Object> later = (obs, o, n) -> schedule();
        grid.skinProperty().addListener(later);
        grid.widthProperty().addListener(later);
        grid.getItems().addListener((ListChangeListener<ResultItem>) c -> schedule());
        search.viewProperty().addListener(later);
        search.browsingProperty().addListener(later);
    }

    /** The label, to be stacked over the grid. */
    public Node node() {
        return label;
    }

    /** The text shown now (for tests), or "" when hidden. */
    public String text() {
        return label.isVisible() ? label.getText() : "";
    }

    private void schedule() {
        if (!pending) {
            pending = true;
            Platform.runLater(() -> {
                pending = false;
                update();
            });
        }
    }

    private void update() {
        if (flow == null && grid.lookup(".virtual-flow") instanceof VirtualFlow<?> f) {
            flow = f;
            f.positionProperty().addListener((obs, o, n) -> update());
        }
        boolean dated = search.browsingProperty().get() || search.viewProperty().get().order() != ResultView.Order.RELEVANCE;
        ResultItem first = dated ? firstVisible() : null;
        label.setVisible(first != null && first.date().toEpochMilli() != 0);
        if (first != null) {
            label.setText(LibraryBrowser.monthLabel(first.date(), zone, msg.locale()));
        }
    }

    /** The first photo of the first visible row, or null. */
    private ResultItem firstVisible() {
        if (grid.getItems().isEmpty()) {
            return null;
        }
        int index = 0;
        if (flow != null && flow.getFirstVisibleCell() instanceof IndexedCell<?> row) {
            int best = Integer.MAX_VALUE;
            for (Node n : row.lookupAll(".grid-cell")) {
                if (n instanceof IndexedCell<?> cell && !cell.isEmpty() && cell.getIndex() >= 0) {
                    best = Math.min(best, cell.getIndex());
                }
            }
            index = best == Integer.MAX_VALUE ? 0 : best;
        }
        return grid.getItems().get(Math.min(index, grid.getItems().size() - 1));
    }
}

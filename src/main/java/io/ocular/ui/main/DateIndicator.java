package io.ocular.ui.main;

import io.ocular.ui.common.Messages;
import javafx.application.Platform;
import javafx.beans.value.ChangeListener;
import javafx.collections.ListChangeListener;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.skin.VirtualFlow;
import javafx.scene.layout.StackPane;

import java.time.ZoneId;

/**
 * The date scrubber's label over the grid: while photos are in date order (browsing, or results sorted by
 * date) it shows the month and year of the first visible row ("March 2024") and follows the grid as it
 * scrolls or as the scroll bar is dragged, so the month stays in sight between the grid's month headers.
 * Hidden in relevance order, where dates jump around.
 */
public final class DateIndicator {
    private final Label label = new Label();
    private final PhotoGrid grid;
    private final SearchViewModel search;
    private final ZoneId zone = ZoneId.systemDefault();
    private final Messages msg;
    private VirtualFlow<?> flow;
    private boolean pending;

    public DateIndicator(PhotoGrid grid, SearchViewModel search, Messages msg) {
        this.msg = msg;
        this.grid = grid;
        this.search = search;
        label.setId("dateIndicator");
        label.getStyleClass().add("date-indicator");
        label.setMouseTransparent(true);
        StackPane.setAlignment(label, Pos.TOP_RIGHT);
        label.setVisible(false);
        ChangeListener<Object> later = (obs, o, n) -> schedule();
        grid.node().skinProperty().addListener(later);
        grid.node().widthProperty().addListener(later);
        grid.node().getItems().addListener((ListChangeListener<GridRows.Row>) c -> schedule());
        search.results().addListener((ListChangeListener<ResultItem>) c -> schedule());
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
        if (flow == null && grid.flow() != null) {
            flow = grid.flow();
            flow.positionProperty().addListener((obs, o, n) -> update());
        }
        int index = grid.dated() ? grid.firstVisibleIndex() : -1;
        ResultItem first = index < 0 || index >= search.results().size() ? null : search.results().get(index);
        label.setVisible(first != null && first.date().toEpochMilli() != 0);
        if (first != null) {
            label.setText(LibraryBrowser.monthLabel(first.date(), zone, msg.locale()));
        }
    }
}

package io.ocular.ui.main;

import io.ocular.ui.common.Messages;
import javafx.collections.ListChangeListener;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.ComboBox;
import javafx.scene.control.DatePicker;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.util.StringConverter;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * The bar above the grid that orders and narrows it: sort (best match, newest, oldest), folders (each with
 * its sub-folders), a date range, and "close matches only". Everything edits the search ViewModel's
 * {@link ResultView}; nothing searches again.
 */
public final class ResultViewBar {
    private final HBox root = new HBox(6);
    private final SearchViewModel search;
    private final ComboBox<ResultView.Order> sort = new ComboBox<>();
    private final MenuButton folders = new MenuButton();
    private final DatePicker from = new DatePicker();
    private final DatePicker to = new DatePicker();
    private final CheckBox closeOnly = new CheckBox();
    private final Button clear = new Button();
    private final Messages msg;
    private boolean updating;

    public ResultViewBar(SearchViewModel search, LibraryViewModel library, Messages msg) {
        this.search = search;
        this.msg = msg;
        folders.setText(msg.get("filter.allFolders"));
        closeOnly.setText(msg.get("filter.closeOnly"));
        clear.setText(msg.get("filter.clear"));
        root.getStyleClass().add("result-view-bar");
        root.setAlignment(Pos.CENTER_LEFT);
        sort.setId("sortBox");
        sort.getItems().setAll(ResultView.Order.values());
        sort.setTooltip(new Tooltip(msg.get("filter.sortTooltip")));
        sort.setConverter(new StringConverter<>() {
            @Override
            public String toString(ResultView.Order o) {
                return o == null ? "" : msg.get("order." + o.name());
            }

            @Override
            public ResultView.Order fromString(String s) {
                return null; // not editable
            }
        });
        folders.setId("folderFilter");
        from.setId("fromDate");
        to.setId("toDate");
        from.setPromptText(msg.get("filter.from"));
        to.setPromptText(msg.get("filter.to"));
        from.setPrefWidth(125);
        to.setPrefWidth(125);
        closeOnly.setId("closeOnly");
        closeOnly.setTooltip(new Tooltip(msg.format("filter.closeOnlyTooltip",
                Math.round((1 - ResultView.CLOSE_RATIO) * 100))));
        clear.setId("clearFilters");
        clear.getStyleClass().add("flat");
        root.getChildren().addAll(new Label(msg.get("filter.sort")), sort, folders, new Label(msg.get("filter.taken")),
                from, new Label("–"), to,
                closeOnly, clear);

        sort.valueProperty().addListener((obs, o, n) -> edit(search.viewProperty().get().withOrder(n)));
        from.valueProperty().addListener((obs, o, n) -> edit(search.viewProperty().get().withDates(n, to.getValue())));
        to.valueProperty().addListener((obs, o, n) -> edit(search.viewProperty().get().withDates(from.getValue(), n)));
        closeOnly.selectedProperty().addListener((obs, o, n) -> edit(search.viewProperty().get().withCloseOnly(n)));
        clear.setOnAction(e -> search.viewProperty().set(ResultView.DEFAULT.withOrder(search.viewProperty().get().order())));
        // close matches mean nothing while browsing (no scores)
        closeOnly.disableProperty().bind(search.browsingProperty());
        library.folders().addListener((ListChangeListener<FolderItem>) c -> rebuildFolders(library));
        rebuildFolders(library);
        search.viewProperty().addListener((obs, o, n) -> show(n));
        search.browsingProperty().addListener((obs, o, n) -> show(search.viewProperty().get()));
        show(search.viewProperty().get());
    }

    public HBox root() {
        return root;
    }

    private void edit(ResultView v) {
        if (!updating) {
            search.viewProperty().set(v);
        }
    }

    private void rebuildFolders(LibraryViewModel library) {
        Set<Path> chosen = search.viewProperty().get().folders();
        folders.getItems().clear();
        for (FolderItem f : library.folders()) {
            CheckMenuItem item = new CheckMenuItem(f.name());
            item.setUserData(f.folder().path());
            item.setSelected(chosen.contains(f.folder().path()));
            item.selectedProperty().addListener((obs, o, n) -> {
                Set<Path> now = new HashSet<>(search.viewProperty().get().folders());
                if (n) {
                    now.add(f.folder().path());
                } else {
                    now.remove(f.folder().path());
                }
                edit(search.viewProperty().get().withFolders(now));
            });
            folders.getItems().add(item);
        }
    }

    /** Shows {@code v} in the controls without feeding it back. */
    private void show(ResultView v) {
        updating = true;
        try {
            // browsing has no "best match": the library's own order is newest first
            boolean browsing = search.browsingProperty().get();
            if (browsing && sort.getItems().contains(ResultView.Order.RELEVANCE)) {
                sort.getItems().setAll(ResultView.Order.NEWEST, ResultView.Order.OLDEST);
            } else if (!browsing && !sort.getItems().contains(ResultView.Order.RELEVANCE)) {
                sort.getItems().setAll(ResultView.Order.values());
            }
            sort.setValue(browsing && v.order() == ResultView.Order.RELEVANCE ? ResultView.Order.NEWEST : v.order());
            from.setValue(v.from());
            to.setValue(v.to());
            closeOnly.setSelected(v.closeOnly());
            for (var item : folders.getItems()) {
                if (item instanceof CheckMenuItem c) {
                    c.setSelected(v.folders().contains((Path) c.getUserData()));
                }
            }
            folders.setText(v.folders().isEmpty() ? msg.get("filter.allFolders")
                    : v.folders().size() == 1 ? msg.format("filter.inFolder", nameOf(v.folders().iterator().next()))
                    : msg.format("filter.inFolders", v.folders().size()));
            clear.setVisible(v.filters());
            clear.setManaged(v.filters());
        } finally {
            updating = false;
        }
    }

    private static String nameOf(Path p) {
        return p.getFileName() == null ? p.toString() : p.getFileName().toString();
    }
}

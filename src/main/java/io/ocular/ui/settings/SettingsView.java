package io.ocular.ui.settings;

import io.ocular.search.IndexChoice;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;

/**
 * The Settings section: instance search, the index searches use (and what is in use now), thumbnail size (a
 * slider, applied to the grid at once), the data folder with its size, and the logs folder, each with a button
 * that opens it. Built in code: a handful of rows.
 */
public final class SettingsView {
    private final VBox root = new VBox(10);

    public SettingsView(SettingsViewModel vm) {
        root.setPadding(new Insets(12));
        root.getStyleClass().add("settings");
        Label title = new Label("Settings");
        title.getStyleClass().add("section-title");

        CheckBox instance = new CheckBox("Instance search: find this object in other photos (verified matches;"
                + " needs the photo model, indexing takes longer)");
        instance.setId("instanceSearch");
        instance.selectedProperty().bindBidirectional(vm.instanceSearchProperty());

        ComboBox<IndexChoice> index = new ComboBox<>();
        index.setId("indexChoice");
        index.getItems().setAll(IndexChoice.values());
        index.setConverter(new StringConverter<>() {
            @Override
            public String toString(IndexChoice c) {
                return c == null ? "" : label(c);
            }

            @Override
            public IndexChoice fromString(String s) {
                return null;
            }
        });
        index.valueProperty().bindBidirectional(vm.indexChoiceProperty());
        Label indexInUse = new Label();
        indexInUse.setId("indexInUse");
        indexInUse.getStyleClass().add("muted");
        indexInUse.textProperty().bind(vm.indexInUseProperty().map(u -> "In use: " + u));

        Slider size = new Slider(SettingsViewModel.MIN_THUMBNAIL, SettingsViewModel.MAX_THUMBNAIL,
                vm.thumbnailSizeProperty().get());
        size.setId("thumbnailSize");
        size.setMajorTickUnit(32);
        size.setBlockIncrement(16);
        size.setPrefWidth(260);
        size.valueProperty().addListener((obs, o, n) -> vm.thumbnailSizeProperty().set(n.intValue()));
        vm.thumbnailSizeProperty().addListener((obs, o, n) -> size.setValue(n.doubleValue()));
        Label sizeValue = new Label();
        sizeValue.textProperty().bind(vm.thumbnailSizeProperty().asString("%d px"));

        Label data = new Label(vm.dataFolder().toString());
        data.setId("dataFolder");
        Label dataSize = new Label();
        dataSize.setId("dataFolderSize");
        dataSize.getStyleClass().add("muted");
        dataSize.textProperty().bind(vm.dataFolderSizeProperty());
        Button openData = new Button("Open");
        openData.setOnAction(e -> vm.openDataFolder());
        Button measure = new Button("Measure again");
        measure.getStyleClass().add("flat");
        measure.setOnAction(e -> vm.refresh());

        Label logs = new Label(vm.logsFolder().toString());
        logs.setId("logsFolder");
        Button openLogs = new Button("Show logs");
        openLogs.setOnAction(e -> vm.openLogsFolder());

        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(8);
        grid.addRow(0, new Label("Search"), instance);
        GridPane.setColumnSpan(instance, 2);
        grid.addRow(1, new Label("Index"), index, indexInUse);
        // Language: its row comes with the window's translations (issue 15)
        grid.addRow(2, new Label("Thumbnail size"), size, sizeValue);
        grid.addRow(3, new Label("Data folder"), data, openData);
        grid.addRow(4, new Label(""), dataSize, measure);
        grid.addRow(5, new Label("Logs"), logs, openLogs);
        root.getChildren().addAll(title, grid);
    }

    /** How a choice reads in the list. */
    static String label(IndexChoice c) {
        return switch (c) {
            case AUTO -> "Automatic (by library size)";
            case EXACT -> "Exact (compares every photo)";
            case COMPACT -> "Compact (less memory, big libraries)";
        };
    }

    public VBox root() {
        return root;
    }
}

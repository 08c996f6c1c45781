package io.ocular.ui.settings;

import io.ocular.search.IndexChoice;
import io.ocular.ui.common.IndexSettings;
import io.ocular.ui.common.Messages;
import io.ocular.ui.common.UiLanguage;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;

/**
 * The Settings section: instance search, the index searches use (and what is in use now), thumbnail size (a
 * slider, applied to the grid at once), the data folder with its size, the logs folder, each with a button that
 * opens it, and the window's language (from the next start). Built in code: a handful of rows.
 */
public final class SettingsView {
    private final VBox root = new VBox(10);

    public SettingsView(SettingsViewModel vm) {
        this(vm, Messages.english());
    }

    public SettingsView(SettingsViewModel vm, Messages msg) {
        root.setPadding(new Insets(12));
        root.getStyleClass().add("settings");
        Label title = new Label(msg.get("settings.title"));
        title.getStyleClass().add("section-title");

        CheckBox instance = new CheckBox(msg.get("settings.instance"));
        instance.setId("instanceSearch");
        instance.selectedProperty().bindBidirectional(vm.instanceSearchProperty());

        ComboBox<IndexChoice> index = new ComboBox<>();
        index.setId("indexChoice");
        index.getItems().setAll(IndexChoice.values());
        index.setConverter(new StringConverter<>() {
            @Override
            public String toString(IndexChoice c) {
                return c == null ? "" : msg.get("settings.index." + c.name());
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
        indexInUse.textProperty().bind(vm.indexInUseProperty().map(u -> msg.format("settings.indexInUse",
                IndexSettings.shortName(u, msg))));
        Tooltip detail = new Tooltip();
        detail.textProperty().bind(vm.indexInUseProperty()); // the engine's own line: parameters, how it was made
        indexInUse.setTooltip(detail);

        Slider size = new Slider(SettingsViewModel.MIN_THUMBNAIL, SettingsViewModel.MAX_THUMBNAIL,
                vm.thumbnailSizeProperty().get());
        size.setId("thumbnailSize");
        size.setMajorTickUnit(32);
        size.setBlockIncrement(16);
        size.setPrefWidth(260);
        size.valueProperty().addListener((obs, o, n) -> vm.thumbnailSizeProperty().set(n.intValue()));
        vm.thumbnailSizeProperty().addListener((obs, o, n) -> size.setValue(n.doubleValue()));
        Label sizeValue = new Label();
        sizeValue.textProperty().bind(vm.thumbnailSizeProperty().asString(msg.get("settings.px")));

        Label data = new Label(vm.dataFolder().toString());
        data.setId("dataFolder");
        Label dataSize = new Label();
        dataSize.setId("dataFolderSize");
        dataSize.getStyleClass().add("muted");
        dataSize.setMinWidth(Region.USE_PREF_SIZE); // "33.14 GB in 195,516 files" is never cut to "…"
        dataSize.textProperty().bind(vm.dataFolderSizeProperty());
        Button openData = new Button(msg.get("settings.open"));
        openData.setOnAction(e -> vm.openDataFolder());
        Button measure = new Button(msg.get("settings.measure"));
        measure.getStyleClass().add("flat");
        measure.setOnAction(e -> vm.refresh());

        Label logs = new Label(vm.logsFolder().toString());
        logs.setId("logsFolder");
        Button openLogs = new Button(msg.get("menu.showLogs"));
        openLogs.setOnAction(e -> vm.openLogsFolder());

        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(8);
        grid.addRow(0, new Label(msg.get("settings.search")), instance);
        GridPane.setColumnSpan(instance, 2);
        grid.addRow(1, new Label(msg.get("settings.index")), index, indexInUse);
        grid.addRow(2, new Label(msg.get("settings.thumbnailSize")), size, sizeValue);
        grid.addRow(3, new Label(msg.get("settings.dataFolder")), data, openData);
        grid.addRow(4, new Label(""), dataSize, measure);
        grid.addRow(5, new Label(msg.get("settings.logs")), logs, openLogs);
        grid.addRow(6, new Label(msg.get("settings.language")), languageRow(vm, msg));
        GridPane.setColumnSpan(grid.getChildren().get(grid.getChildren().size() - 1), 2);
        root.getChildren().addAll(title, grid);
    }

    /** System / English / 한국어 (each language named in itself), and when it takes effect. */
    private static HBox languageRow(SettingsViewModel vm, Messages msg) {
        ComboBox<UiLanguage> language = new ComboBox<>();
        language.setId("language");
        language.getItems().setAll(UiLanguage.values());
        language.setConverter(new StringConverter<>() {
            @Override
            public String toString(UiLanguage l) {
                return l == null ? "" : msg.get("settings.language." + l.name());
            }

            @Override
            public UiLanguage fromString(String s) {
                return null; // not editable
            }
        });
        language.valueProperty().bindBidirectional(vm.languageProperty());
        Label restart = new Label(msg.get("settings.languageNote"));
        restart.getStyleClass().add("muted");
        HBox row = new HBox(8, language, restart);
        row.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        return row;
    }

    public VBox root() {
        return root;
    }
}

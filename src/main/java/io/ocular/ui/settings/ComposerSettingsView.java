package io.ocular.ui.settings;

import io.ocular.ui.common.Messages;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.util.Duration;

/**
 * Settings → Composed search: the composer in use, the marks and training, and the two resets. Built in code: a
 * few rows.
 */
public final class ComposerSettingsView {
    private final VBox root = new VBox(6);

    public ComposerSettingsView(ComposerSettingsViewModel vm, Messages msg) {
        root.setPadding(new Insets(0, 12, 12, 12));
        root.setId("composerSettings");
        Label title = new Label(msg.get("settings.composer"));
        title.getStyleClass().add("section-title");
        Label inUse = new Label();
        inUse.setId("composerInUse");
        inUse.setWrapText(true);
        inUse.textProperty().bind(vm.inUseProperty());
        Tooltip outcome = new Tooltip();
        outcome.textProperty().bind(vm.outcomeProperty());
        inUse.setTooltip(outcome);
        Label details = new Label();
        details.setId("composerDetails");
        details.setWrapText(true);
        details.getStyleClass().add("muted");
        details.textProperty().bind(vm.detailsProperty());
        Button reset = new Button(msg.get("settings.composer.reset"));
        reset.setId("composerReset");
        reset.disableProperty().bind(vm.canResetProperty().not());
        reset.setOnAction(e -> vm.reset(false));
        Button forget = new Button(msg.get("settings.composer.resetForget"));
        forget.setId("composerResetForget");
        forget.getStyleClass().add("flat");
        forget.disableProperty().bind(vm.canResetProperty().not());
        forget.setOnAction(e -> vm.reset(true));
        Button stop = new Button(msg.get("settings.composer.stop"));
        stop.setId("composerStop");
        stop.visibleProperty().bind(vm.trainingProperty());
        stop.managedProperty().bind(vm.trainingProperty());
        stop.setOnAction(e -> vm.stop());
        Button again = new Button("↻");
        again.getStyleClass().add("flat");
        again.setOnAction(e -> vm.refresh());
        // while a personal Combiner trains, its epoch is read again every two seconds
        Timeline poll = new Timeline(new KeyFrame(Duration.seconds(2), e -> vm.refresh()));
        poll.setCycleCount(Animation.INDEFINITE);
        vm.trainingProperty().addListener((obs, was, now) -> {
            if (now) {
                poll.play();
            } else {
                poll.stop();
            }
        });
        root.getChildren().addAll(title, inUse, details, new HBox(8, reset, forget, stop, again));
    }

    public VBox root() {
        return root;
    }
}

package io.ocular.ui.main;

import io.ocular.ui.common.Messages;
import javafx.embed.swing.SwingFXUtils;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.image.ImageView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;

import java.util.function.Supplier;

/**
 * The match picture's window: opens when {@link MatchViewModel} has a picture, closes (and tells it) when the
 * user closes it. Built in code: an image, a caption and a button.
 */
final class MatchView {
    private final MatchViewModel vm;
    private final Supplier<Window> owner;
    private Stage stage;
    private final ImageView image = new ImageView();
    private final Label caption = new Label();

    private final Messages msg;

    MatchView(MatchViewModel vm, Supplier<Window> owner, Messages msg) {
        this.vm = vm;
        this.msg = msg;
        this.owner = owner;
        image.setId("matchPicture");
        image.setPreserveRatio(true);
        caption.setId("matchCaption");
        caption.setWrapText(true);
        vm.pictureProperty().addListener((obs, old, match) -> {
            if (match == null) {
                if (stage != null) {
                    stage.hide();
                }
            } else {
                show(match);
            }
        });
    }

    private void show(MatchViewModel.Match match) {
        if (stage == null) {
            stage = new Stage();
            stage.initModality(Modality.NONE);
            Window w = owner.get();
            if (w != null) {
                stage.initOwner(w);
                if (w instanceof Stage s) {
                    stage.getIcons().setAll(s.getIcons());
                }
            }
            Button close = new Button(msg.get("match.close"));
            close.setId("matchClose");
            close.setCancelButton(true);
            close.setOnAction(e -> vm.close());
            HBox bar = new HBox(10, caption, close);
            bar.setAlignment(Pos.CENTER_RIGHT);
            HBox.setHgrow(caption, Priority.ALWAYS);
            caption.setMaxWidth(Double.MAX_VALUE);
            VBox box = new VBox(8, new ScrollPane(image), bar);
            box.getStyleClass().add("match-picture");
            Scene scene = new Scene(box);
            if (w != null && w.getScene() != null) {
                scene.getStylesheets().setAll(w.getScene().getStylesheets());
            }
            stage.setScene(scene);
            stage.setOnHidden(e -> vm.close());
        }
        image.setImage(SwingFXUtils.toFXImage(match.picture(), null));
        caption.setText(msg.format("match.caption", String.valueOf(match.item().path().getFileName())));
        stage.setTitle(msg.format("match.title", String.valueOf(match.item().path().getFileName())));
        stage.sizeToScene();
        stage.show();
        stage.toFront();
    }
}

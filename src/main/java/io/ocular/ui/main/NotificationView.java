package io.ocular.ui.main;

import io.ocular.ui.common.Fxml;
import io.ocular.ui.common.Messages;
import io.ocular.ui.common.Notifications;
import io.ocular.ui.models.ModelsViewModel;
import javafx.animation.PauseTransition;
import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.util.Duration;

import java.util.Objects;

/**
 * The window's notification pane: the one inline message (information fades after a while, errors stay until
 * closed) and the first-run model offer.
 */
public final class NotificationView {
    private final Notifications notifications;
    private final ModelsViewModel models;
    private final Runnable showModels;
    private final PauseTransition hideInfo = new PauseTransition(Duration.seconds(8));

    @FXML private VBox root;
    @FXML private HBox notificationBar;
    @FXML private Label notificationLabel;
    @FXML private HBox photoOfferBar;
    @FXML private Label photoOfferLabel;
    @FXML private HBox offerBar;
    @FXML private Label offerLabel;

    /**
     * @param showModels brings the models tab forward (after "Get it" on the offer)
     */
    public NotificationView(Notifications notifications, ModelsViewModel models, Runnable showModels) {
        this(notifications, models, showModels, Messages.english());
    }

    public NotificationView(Notifications notifications, ModelsViewModel models, Runnable showModels, Messages msg) {
        this.notifications = Objects.requireNonNull(notifications, "notifications");
        this.models = Objects.requireNonNull(models, "models");
        this.showModels = Objects.requireNonNull(showModels, "showModels");
        Fxml.load(this, msg);
        bind();
    }

    public VBox root() {
        return root;
    }

    private void bind() {
        var current = notifications.currentProperty();
        notificationBar.visibleProperty().bind(current.isNotNull());
        notificationBar.managedProperty().bind(current.isNotNull());
        notificationLabel.textProperty().bind(Bindings.createStringBinding(
                () -> current.get() == null ? "" : current.get().text(), current));
        current.addListener((obs, old, msg) -> {
            notificationBar.getStyleClass().removeAll("error", "info");
            hideInfo.stop();
            if (msg != null) {
                notificationBar.getStyleClass().add(msg.level() == Notifications.Level.ERROR ? "error" : "info");
                if (msg.level() == Notifications.Level.INFO) {
                    hideInfo.playFromStart();
                }
            }
        });
        hideInfo.setOnFinished(e -> {
            if (current.get() != null && current.get().level() == Notifications.Level.INFO) {
                notifications.clear();
            }
        });
        // one offer at a time: the photo model first (one click), then CLIP for words
        var photoOffer = models.photoOfferProperty();
        photoOfferBar.visibleProperty().bind(photoOffer.isNotNull());
        photoOfferBar.managedProperty().bind(photoOffer.isNotNull());
        photoOfferLabel.textProperty().bind(photoOffer);
        var offer = models.offerProperty();
        var showClip = offer.isNotNull().and(photoOffer.isNull());
        offerBar.visibleProperty().bind(showClip);
        offerBar.managedProperty().bind(showClip);
        offerLabel.textProperty().bind(offer);
    }

    @FXML
    private void onCloseNotification() {
        notifications.clear();
    }

    @FXML
    private void onAcceptOffer() {
        models.acceptOffer();
        showModels.run();
    }

    @FXML
    private void onAcceptPhotoOffer() {
        models.acceptPhotoOffer();
    }

    @FXML
    private void onDismissPhotoOffer() {
        models.dismissPhotoOffer();
    }

    @FXML
    private void onDismissOffer() {
        models.dismissOffer();
    }
}

package io.ocular.ui.common;

import javafx.scene.image.Image;

import java.util.Objects;

/** What every view needs besides its ViewModel: thumbnails, confirmations, pickers, the window's words. */
public record ViewContext(ThumbnailLoader<Image> thumbnails, Confirmer confirmer, Choosers choosers,
                          UiExecutors executors, Messages messages) {
    /** In English (tests, demos). */
    public ViewContext(ThumbnailLoader<Image> thumbnails, Confirmer confirmer, Choosers choosers,
                       UiExecutors executors) {
        this(thumbnails, confirmer, choosers, executors, Messages.english());
    }

    public ViewContext {
        Objects.requireNonNull(messages, "messages");
        Objects.requireNonNull(thumbnails, "thumbnails");
        Objects.requireNonNull(confirmer, "confirmer");
        Objects.requireNonNull(choosers, "choosers");
        Objects.requireNonNull(executors, "executors");
    }
}

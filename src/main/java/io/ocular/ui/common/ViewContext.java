package io.ocular.ui.common;

import javafx.scene.image.Image;

import java.util.Objects;

/** What every view needs besides its ViewModel: thumbnails, confirmations, pickers. */
public record ViewContext(ThumbnailLoader<Image> thumbnails, Confirmer confirmer, Choosers choosers,
                          UiExecutors executors) {
    public ViewContext {
        Objects.requireNonNull(thumbnails, "thumbnails");
        Objects.requireNonNull(confirmer, "confirmer");
        Objects.requireNonNull(choosers, "choosers");
        Objects.requireNonNull(executors, "executors");
    }
}

package io.ocular.ui.common;

import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Loads {@code <View>.fxml} next to a view class with the view itself as controller and the window's words. */
public final class Fxml {
    private Fxml() {
    }

    /** In English (views whose FXML has no {@code %key} text, tests). */
    public static Parent load(Object view) {
        return load(view, Messages.english());
    }

    /** With {@code messages} as the FXML's resources: {@code text="%key"} reads the window's language. */
    public static Parent load(Object view, Messages messages) {
        Class<?> type = view.getClass();
        FXMLLoader loader = new FXMLLoader(type.getResource(type.getSimpleName() + ".fxml"), messages.bundle());
        loader.setController(view);
        try {
            return loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load " + type.getSimpleName() + ".fxml", e);
        }
    }
}

package io.ocular.ui.common;

import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Loads {@code <View>.fxml} next to a view class with the view itself as controller. */
public final class Fxml {
    private Fxml() {
    }

    public static Parent load(Object view) {
        Class<?> type = view.getClass();
        FXMLLoader loader = new FXMLLoader(type.getResource(type.getSimpleName() + ".fxml"));
        loader.setController(view);
        try {
            return loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load " + type.getSimpleName() + ".fxml", e);
        }
    }
}

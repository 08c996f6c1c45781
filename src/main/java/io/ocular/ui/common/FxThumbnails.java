package io.ocular.ui.common;

import javafx.application.Platform;
import javafx.scene.image.Image;

import java.nio.file.Path;
import java.util.function.Function;

/** Thumbnail loading for the views: JavaFX images decoded on worker threads, delivered on the FX thread. */
public final class FxThumbnails {
    public static final int SIZE = 160;

    private FxThumbnails() {
    }

    /**
     * @param source decodes a thumbnail (e.g. from the engine's thumbnail cache); null means "decode the
     *               file with JavaFX at {@link #SIZE}"
     */
    public static ThumbnailLoader<Image> loader(Function<Path, Image> source) {
        Function<Path, Image> decode = source != null ? source : FxThumbnails::decode;
        return new ThumbnailLoader<>(decode, Platform::runLater, 2, 2000);
    }

    public static Image decode(Path path) {
        Image image = new Image(path.toUri().toString(), SIZE, SIZE, true, true, false);
        return image.isError() ? null : image;
    }
}

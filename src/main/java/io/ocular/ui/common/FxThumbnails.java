package io.ocular.ui.common;

import javafx.application.Platform;
import javafx.scene.image.Image;

import java.nio.file.Path;
import java.util.function.Function;

/** Thumbnail loading for the views: JavaFX images decoded on worker threads, delivered on the FX thread. */
public final class FxThumbnails {
    public static final int SIZE = 160;
    /**
     * Decoded thumbnails kept in memory, in bytes (4 per pixel): 128 MB is about 650 thumbnails of 256 × 192,
     * several screens' worth even at 4K. Counting thumbnails alone let 2,000 of them hold 400+ MB of heap after
     * scrolling through 100,000 photos (decision 0210).
     */
    static final long CACHE_BYTES = 128L << 20;

    private FxThumbnails() {
    }

    /**
     * @param source decodes a thumbnail (e.g. from the engine's thumbnail cache); null means "decode the
     *               file with JavaFX at {@link #SIZE}"
     */
    public static ThumbnailLoader<Image> loader(Function<Path, Image> source) {
        Function<Path, Image> decode = source != null ? source : FxThumbnails::decode;
        return new ThumbnailLoader<>(decode, Platform::runLater, 2, 2000,
                image -> 4L * (long) image.getWidth() * (long) image.getHeight(), CACHE_BYTES);
    }

    public static Image decode(Path path) {
        Image image = new Image(path.toUri().toString(), SIZE, SIZE, true, true, false);
        return image.isError() ? null : image;
    }
}

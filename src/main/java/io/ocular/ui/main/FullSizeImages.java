package io.ocular.ui.main;

import io.ocular.index.ImageDecoder;
import io.ocular.ui.common.UiExecutors;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.image.Image;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The viewer's large picture of a photo. JavaFX decodes JPEG, PNG, GIF and BMP itself (in the background);
 * everything else the library indexes (HEIC/AVIF through libheif, camera RAW through its embedded preview, TIFF,
 * WebP), and any file JavaFX fails on, is decoded by Ocular's own {@link ImageDecoder} at working size on a
 * background thread, upright, so the viewer never stays on the 256-pixel thumbnail.
 */
final class FullSizeImages {
    /** Longest side of the viewer's picture. */
    static final int LONG_SIDE = 1600;
    private static final Set<String> JAVAFX_READS = Set.of("jpg", "jpeg", "png", "gif", "bmp");

    private final Function<Path, BufferedImage> decoder;
    private final UiExecutors executors;

    /** @param decoder decodes a photo to at most {@link #LONG_SIDE} pixels, upright (blocking) */
    FullSizeImages(Function<Path, BufferedImage> decoder, UiExecutors executors) {
        this.decoder = decoder;
        this.executors = executors;
    }

    /** Ocular's decoder at {@link #LONG_SIDE}. */
    static Function<Path, BufferedImage> ocularDecoder() {
        ImageDecoder d = new ImageDecoder();
        return p -> d.decodeToFit(p, LONG_SIDE).image();
    }

    static boolean javaFxReads(Path p) {
        String name = String.valueOf(p.getFileName()).toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return dot > 0 && JAVAFX_READS.contains(name.substring(dot + 1));
    }

    /**
     * Loads {@code file} large and hands it to {@code show} on the FX thread while {@code wanted} still holds (the
     * user may have moved on); a file nothing can decode leaves the thumbnail in place.
     */
    void load(Path file, Consumer<Image> show, BooleanSupplier wanted) {
        if (!javaFxReads(file)) {
            decode(file, show, wanted);
            return;
        }
        Image large = new Image(file.toUri().toString(), LONG_SIDE, LONG_SIDE, true, true, true);
        large.progressProperty().addListener((o, a, b) -> {
            if (b.doubleValue() >= 1 && wanted.getAsBoolean()) {
                if (large.isError()) {
                    decode(file, show, wanted); // e.g. a HEIC named .jpg, a CMYK JPEG
                } else {
                    show.accept(large);
                }
            }
        });
    }

    private void decode(Path file, Consumer<Image> show, BooleanSupplier wanted) {
        CompletableFuture.supplyAsync(() -> wanted.getAsBoolean() ? decoder.apply(file) : null, executors.background())
                .whenCompleteAsync((img, failure) -> {
                    if (failure == null && img != null && wanted.getAsBoolean()) {
                        show.accept(SwingFXUtils.toFXImage(img, null));
                    }
                }, executors.ui());
    }
}

package io.ocular.search;

import java.awt.image.BufferedImage;
import java.nio.file.Path;

/**
 * Decodes a query image from a file (dropped, pasted or named on the command line). The composition root
 * wires the indexer's decoder here (EXIF orientation, subsampling to the encoder's preferred size).
 */
@FunctionalInterface
public interface QueryImageLoader {

    /**
     * @throws io.ocular.model.OcularException if the file cannot be read or is not an image; the message
     *                                         says which file and why
     */
    BufferedImage load(Path file);
}

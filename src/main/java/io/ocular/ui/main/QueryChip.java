package io.ocular.ui.main;

import java.nio.file.Path;

/**
 * What the search bar shows as being searched: the words, or the example photo (its thumbnail and name).
 * Removing the chip leaves the results and returns to browsing.
 *
 * @param label the words in quotes, or the photo's file name (with " + n refinements" when refined)
 * @param image the example photo to show as a thumbnail, or null for words
 */
public record QueryChip(String label, Path image) {

    static QueryChip words(String text) {
        return new QueryChip("“" + text + "”", null);
    }

    static QueryChip photo(Path image) {
        return new QueryChip(image.getFileName() == null ? image.toString() : image.getFileName().toString(), image);
    }

    /** Whether it shows a photo. */
    public boolean isImage() {
        return image != null;
    }
}

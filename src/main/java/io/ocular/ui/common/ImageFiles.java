package io.ocular.ui.common;

import io.ocular.index.ImageFormats;

import java.nio.file.Files;
import java.nio.file.Path;

/** What the UI accepts as an image when something is dropped or pasted (the indexer decides for real). */
public final class ImageFiles {
    private ImageFiles() {
    }

    public static boolean looksLikeImage(Path path) {
        String name = path.getFileName() == null ? "" : path.getFileName().toString();
        return ImageFormats.isSupportedName(name);
    }

    /** Null when the file can be used as a query image, else a message for the user. */
    public static String problemWithQueryImage(Path path) {
        if (path == null) {
            return "Nothing to search with.";
        }
        if (!Files.exists(path)) {
            return "The file " + path.getFileName() + " is gone (moved or deleted?).";
        }
        if (Files.isDirectory(path)) {
            return path.getFileName() + " is a folder; drop it on the library to add it.";
        }
        if (!looksLikeImage(path)) {
            return path.getFileName() + " is not an image (JPEG, HEIC, AVIF, camera RAW, PNG, WebP, TIFF, GIF, BMP).";
        }
        if (!Files.isReadable(path)) {
            return "Cannot read " + path.getFileName() + " (permissions?).";
        }
        return null;
    }
}

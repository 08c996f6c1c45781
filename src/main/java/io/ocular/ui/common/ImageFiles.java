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
    public static String problemWithQueryImage(Path path, Messages msg) {
        if (path == null) {
            return msg.get("query.nothing");
        }
        if (!Files.exists(path)) {
            return msg.format("file.gone", path.getFileName());
        }
        if (Files.isDirectory(path)) {
            return msg.format("query.isFolder", path.getFileName());
        }
        if (!looksLikeImage(path)) {
            return msg.format("query.notImage", path.getFileName());
        }
        if (!Files.isReadable(path)) {
            return msg.format("query.unreadable", path.getFileName());
        }
        return null;
    }
}

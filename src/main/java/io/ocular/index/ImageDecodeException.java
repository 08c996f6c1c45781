package io.ocular.index;

import io.ocular.model.OcularException;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A file that cannot be used as an image. The message is the user-readable reason recorded in the catalog
 * (status SKIPPED) and shown as is, e.g. "empty file" or "truncated or corrupt image".
 */
public final class ImageDecodeException extends OcularException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public ImageDecodeException(Path file, String reason) {
        super(reason);
        this.file = file;
    }

    public ImageDecodeException(Path file, String reason, Throwable cause) {
        super(reason, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** The reason, without the file name (the file is shown beside it). */
    public String reason() {
        return getMessage();
    }

    /** Maps an I/O failure on a file to the reason the user sees. */
    static ImageDecodeException fromIo(Path file, IOException e) {
        return new ImageDecodeException(file, ioReason(e), e);
    }

    static String ioReason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "file vanished";
        }
        if (e instanceof AccessDeniedException) {
            return "unreadable: permission denied";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return "unreadable: " + fse.getReason();
        }
        return "unreadable: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
}

package io.ocular.model;

import java.nio.file.Path;
import java.time.Instant;

/**
 * One image file as the catalog knows it.
 *
 * @param id           catalog id (0 before it is stored)
 * @param folderId     the library folder it was found under
 * @param path         absolute, normalised path
 * @param size         file size in bytes
 * @param mtimeMillis  last-modified time in ms since the epoch
 * @param contentHash  hex hash of the content (recognises moved/renamed files); null if not yet known
 * @param width        pixel width after EXIF orientation (0 if unknown)
 * @param height       pixel height after EXIF orientation (0 if unknown)
 * @param takenAt      EXIF date taken, or null
 * @param orientation  EXIF orientation 1..8 (1 when absent)
 * @param status       see {@link ImageStatus}
 * @param skipReason   why it was skipped, or null
 */
public record ImageRecord(long id, long folderId, Path path, long size, long mtimeMillis, String contentHash,
                          int width, int height, Instant takenAt, int orientation, ImageStatus status,
                          String skipReason) {

    public ImageRecord withId(long newId) {
        return new ImageRecord(newId, folderId, path, size, mtimeMillis, contentHash, width, height, takenAt,
                orientation, status, skipReason);
    }

    public ImageRecord withStatus(ImageStatus newStatus, String reason) {
        return new ImageRecord(id, folderId, path, size, mtimeMillis, contentHash, width, height, takenAt,
                orientation, newStatus, reason);
    }
}

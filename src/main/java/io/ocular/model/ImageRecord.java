package io.ocular.model;

import java.nio.file.Path;
import java.time.Instant;

/**
 * One image file as the catalog knows it: a photo, a video file, or one moment of a video (decision 0140).
 *
 * <p>A video file is one record like a photo (its status and skip reason, size, mtime, hash) with its
 * {@code durationMs}; it has no vector itself. Each of its moments is a record of its own with the video's path
 * and attributes, its {@code frameMs} and its own vector: search finds moments ("this video at 0:42").
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
 * @param frameMs      for a moment of a video: its time from the start in ms; {@link #NO_FRAME} otherwise
 * @param durationMs   for a video and its moments: the video's length in ms; 0 for photos (and unknown)
 */
public record ImageRecord(long id, long folderId, Path path, long size, long mtimeMillis, String contentHash,
                          int width, int height, Instant takenAt, int orientation, ImageStatus status,
                          String skipReason, long frameMs, long durationMs) {

    /** {@link #frameMs} of a record that is not a moment of a video. */
    public static final long NO_FRAME = -1;

    public ImageRecord {
        if (frameMs < NO_FRAME || durationMs < 0) {
            throw new IllegalArgumentException("bad frame time " + frameMs + " or duration " + durationMs);
        }
    }

    /** A photo (or a video file whose duration is not known). */
    public ImageRecord(long id, long folderId, Path path, long size, long mtimeMillis, String contentHash,
                       int width, int height, Instant takenAt, int orientation, ImageStatus status,
                       String skipReason) {
        this(id, folderId, path, size, mtimeMillis, contentHash, width, height, takenAt, orientation, status,
                skipReason, NO_FRAME, 0);
    }

    /** One moment of a video. */
    public boolean isMoment() {
        return frameMs >= 0;
    }

    /** A video file's own record (not one of its moments). */
    public boolean isVideoFile() {
        return frameMs < 0 && durationMs > 0;
    }

    public ImageRecord withId(long newId) {
        return new ImageRecord(newId, folderId, path, size, mtimeMillis, contentHash, width, height, takenAt,
                orientation, status, skipReason, frameMs, durationMs);
    }

    public ImageRecord withStatus(ImageStatus newStatus, String reason) {
        return new ImageRecord(id, folderId, path, size, mtimeMillis, contentHash, width, height, takenAt,
                orientation, newStatus, reason, frameMs, durationMs);
    }

    /** The moment of this video at {@code ms} (same file attributes), to be stored with its vector. */
    public ImageRecord moment(long ms) {
        return new ImageRecord(0, folderId, path, size, mtimeMillis, contentHash, width, height, takenAt,
                orientation, status, null, ms, durationMs);
    }
}

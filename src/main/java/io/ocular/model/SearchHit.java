package io.ocular.model;

import java.nio.file.Path;
import java.util.Locale;

/**
 * One search result: an image, its score, and where it is on disk. A moment of a video carries its time
 * ({@code frameMs}, else {@link ImageRecord#NO_FRAME}) and the video's length ({@code durationMs}, else 0).
 */
public record SearchHit(long imageId, Path path, float score, long frameMs, long durationMs) {

    /** A photo. */
    public SearchHit(long imageId, Path path, float score) {
        this(imageId, path, score, ImageRecord.NO_FRAME, 0);
    }

    /** The hit for a catalog record (a photo or a moment of a video). */
    public static SearchHit of(ImageRecord r, float score) {
        return new SearchHit(r.id(), r.path(), score, r.frameMs(), r.durationMs());
    }

    /** The same hit with another score (a re-ranking). */
    public SearchHit withScore(float newScore) {
        return new SearchHit(imageId, path, newScore, frameMs, durationMs);
    }

    public boolean isMoment() {
        return frameMs >= 0;
    }

    /** "0:42" or "1:02:03" for a time in ms. */
    public static String clock(long ms) {
        long s = Math.max(0, ms) / 1000;
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}

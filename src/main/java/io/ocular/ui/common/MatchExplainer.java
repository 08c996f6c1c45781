package io.ocular.ui.common;

import io.ocular.model.OcularException;
import io.ocular.model.Query;

import java.awt.image.BufferedImage;

/**
 * Draws why a result matched a "Find this object" query: the two photos side by side with the verified matching
 * details joined by lines (what {@code ocular search --explain} writes). Blocking: call it off the UI thread.
 * The app backs it with the engine; tests with a fake.
 */
@FunctionalInterface
public interface MatchExplainer {

    /**
     * @param height the picture's height in pixels
     * @throws OcularException with a message to show as is (no local features yet, instance search off, ...)
     */
    BufferedImage explain(Query query, long imageId, int height);

    /** Where there is no engine to ask (demos, tests). */
    static MatchExplainer unavailable() {
        return (query, imageId, height) -> {
            throw new OcularException("Showing the match needs instance search.");
        };
    }
}

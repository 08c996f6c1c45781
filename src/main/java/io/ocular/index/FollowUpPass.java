package io.ocular.index;

import io.ocular.model.ImageRecord;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Derived per-image data the indexing daemon computes after a run, in a follow-up pass over the INDEXED
 * images that have no data of {@link #kind()} yet (e.g. local features for instance search). The daemon runs
 * it on its scheduler thread once the run's own work has drained, and stores the results through its one
 * writer thread, so the catalog keeps a single writer. The pass yields to newly submitted commands and to
 * cancel (what it stored so far stays; the next run continues where it stopped).
 */
public interface FollowUpPass {

    /** The catalog data kind this pass fills, one blob per image. */
    String kind();

    /** Read before every run (a user setting may turn the pass on or off). */
    boolean enabled();

    /**
     * Gets ready for the images still missing data, e.g. fits a projection on a sample of them. Called on the
     * scheduler thread before any {@link #compute}; may read the catalog but must not write it.
     *
     * @param pending the INDEXED images without data of {@link #kind()}, in id order (never empty)
     * @return empty when the pass cannot run yet (e.g. too few images to learn from); otherwise what the
     *         daemon must write before computing
     * @throws io.ocular.model.OcularException when the pass cannot run at all (e.g. its model is missing); the
     *         message is shown among the run's recent skips and the run does not fail
     */
    Optional<Preparation> prepare(List<ImageRecord> pending);

    /**
     * The data of one image (called on the scheduler thread). A failure on one image should return a valid
     * "nothing found" blob rather than throw, or that image is retried by every later run.
     *
     * @throws RuntimeException for an image that cannot be processed at all; it is skipped for this run
     */
    byte[] compute(ImageRecord image);

    /** Settings to store once a pass finished (e.g. its measured cost); empty by default. */
    default Map<String, String> summary(int images, long bytes, Duration took) {
        return Map.of();
    }

    /**
     * What to write before computing.
     *
     * @param settings     catalog settings to store (a null value removes one)
     * @param dropExisting drop every stored blob of the kind first (they were made with an older model)
     */
    record Preparation(Map<String, String> settings, boolean dropExisting) {
        public Preparation {
            settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        }

        /** Nothing to write: the pass is ready as it is. */
        public static Preparation ready() {
            return new Preparation(Map.of(), false);
        }
    }
}

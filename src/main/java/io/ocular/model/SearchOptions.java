package io.ocular.model;

/**
 * How a query is answered beyond its {@link Query} and result count.
 *
 * @param verify     re-rank the global short list by instance verification (local features + geometry) and
 *                   say "no confident match" when nothing verifies; needs instance search turned on
 * @param candidates how many global results are verified (the short list); ignored without {@code verify}
 * @param rotations  also search with the example image turned by 90°, 180° and 270° (sideways photos without
 *                   EXIF orientation); each photo keeps its best score. Example images only.
 */
public record SearchOptions(boolean verify, int candidates, boolean rotations) {
    /** Global similarity only. */
    public static final SearchOptions DEFAULT = new SearchOptions(false, 0, false);

    public SearchOptions(boolean verify, int candidates) {
        this(verify, candidates, false);
    }

    public SearchOptions withRotations(boolean on) {
        return new SearchOptions(verify, candidates, on);
    }

    public SearchOptions {
        if (verify && candidates < 1) {
            throw new IllegalArgumentException("verification needs at least one candidate");
        }
    }

    /** Verify the global top 100 (the short list of decision record 0070). */
    public static SearchOptions verified() {
        return new SearchOptions(true, 100);
    }
}

package io.ocular.model;

/**
 * How a query is answered beyond its {@link Query} and result count.
 *
 * @param verify     re-rank the global short list by instance verification (local features + geometry) and
 *                   say "no confident match" when nothing verifies; needs instance search turned on
 * @param candidates how many global results are verified (the short list); ignored without {@code verify}
 */
public record SearchOptions(boolean verify, int candidates) {
    /** Global similarity only. */
    public static final SearchOptions DEFAULT = new SearchOptions(false, 0);

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

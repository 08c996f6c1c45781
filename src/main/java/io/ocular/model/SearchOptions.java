package io.ocular.model;

import java.util.Objects;

/**
 * How a query is answered beyond its {@link Query} and result count.
 *
 * @param verify     re-rank the global short list by instance verification (local features + geometry) and
 *                   say "no confident match" when nothing verifies; needs instance search turned on
 * @param candidates how many global results are verified (the short list); ignored without {@code verify}
 * @param rotations  also search with the example image turned by 90°, 180° and 270° (sideways photos without
 *                   EXIF orientation); each photo keeps its best score. Example images only.
 * @param scope      which photos may be returned (folders, date range, excluded ids), applied inside the
 *                   vector search so {@code k} results come back whenever that many photos are in scope
 * @param augment    when the example is a library photo ("More like this"): database-side augmentation, each
 *                   photo of the short list scored together with its nearest library photo (decision record
 *                   0115, Amendment 6); on unless turned off
 */
public record SearchOptions(boolean verify, int candidates, boolean rotations, SearchScope scope, boolean augment) {
    /** Global similarity only. */
    public static final SearchOptions DEFAULT = new SearchOptions(false, 0, false);

    public SearchOptions(boolean verify, int candidates) {
        this(verify, candidates, false);
    }

    public SearchOptions(boolean verify, int candidates, boolean rotations) {
        this(verify, candidates, rotations, SearchScope.ALL);
    }

    public SearchOptions(boolean verify, int candidates, boolean rotations, SearchScope scope) {
        this(verify, candidates, rotations, scope, true);
    }

    public SearchOptions withRotations(boolean on) {
        return new SearchOptions(verify, candidates, on, scope, augment);
    }

    /** These options with database-side augmentation for library-photo examples on or off. */
    public SearchOptions withAugment(boolean on) {
        return new SearchOptions(verify, candidates, rotations, scope, on);
    }

    /** These options searching only {@code s}. */
    public SearchOptions withScope(SearchScope s) {
        return new SearchOptions(verify, candidates, rotations, s, augment);
    }

    /** The same search without verification (the global short list a verifier starts from). */
    public SearchOptions unverified() {
        return new SearchOptions(false, 0, rotations, scope, augment);
    }

    public SearchOptions {
        Objects.requireNonNull(scope, "scope");
        if (verify && candidates < 1) {
            throw new IllegalArgumentException("verification needs at least one candidate");
        }
    }

    /** Verify the global top 100 (the short list of decision record 0070). */
    public static SearchOptions verified() {
        return new SearchOptions(true, 100);
    }
}

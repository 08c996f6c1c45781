package io.ocular.search.local;

import io.ocular.model.ScoredId;
import io.ocular.search.DatabaseAugmentation;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongFunction;

/**
 * The reciprocal rank of {@link LocalVerifier}'s promotion rule, the one implementation the app ("Find this object",
 * {@code ocular search --verify}) and the eval use (decision record 0115, Amendments 7 and 8): the query's rank
 * among a candidate's own nearest library photos, found by searching the library with the candidate's stored
 * vector. {@code rank = 1 +} the library photos, other than the candidate and the query, more similar to the
 * candidate than the query is (its global score), counted among the candidate's
 * {@link LocalVerifier#RECIPROCAL_DEPTH} nearest (beyond: {@code RECIPROCAL_DEPTH + 1}).
 *
 * <p>The query's own library entry is never counted, so the rank means "where the example would stand among the
 * candidate's neighbours" whether it is a library photo (<em>More like this</em>, the holidays protocol) or a file
 * dropped from outside the library ({@link Library#forOutsideExample()}): the same example vector gets the same
 * ranks either way. A candidate without a stored vector gets the unknown rank (promotes less, never more).
 *
 * <p>One neighbour search per candidate asked ({@link LocalVerifier} asks only for candidates in the ambiguous
 * band: 8–25 inliers with enough evidence before the term), each remembered for the query. One instance per query;
 * not thread-safe (the verifier asks from its calling thread).
 */
public final class ReciprocalNeighbours implements LocalVerifier.ReciprocalRank {
    /**
     * The library as the reciprocal rank sees it: a photo's stored vector (null when it has none) and the library's
     * nearest-neighbour search (the whole library, whatever the query's scope; the photo itself may be among the
     * results). In the app the live index (exact, or the compact codes' neighbour search at large sizes).
     */
    public record Library(LongFunction<float[]> vectors, DatabaseAugmentation.NeighbourSearch search) {
        public Library {
            Objects.requireNonNull(vectors, "vectors");
            Objects.requireNonNull(search, "search");
        }

        /** Ranks for a library photo as the example: its own entry is left out of every neighbour list. */
        public ReciprocalNeighbours forLibraryPhoto(long queryId) {
            return new ReciprocalNeighbours(this, true, queryId);
        }

        /** Ranks for an example that is not in the library (a dropped file). */
        public ReciprocalNeighbours forOutsideExample() {
            return new ReciprocalNeighbours(this, false, 0);
        }
    }

    private final Library library;
    private final boolean inLibrary;
    private final long queryId;
    private final Map<Long, Integer> ranks = new HashMap<>();
    private int searches;

    private ReciprocalNeighbours(Library library, boolean inLibrary, long queryId) {
        this.library = library;
        this.inLibrary = inLibrary;
        this.queryId = queryId;
    }

    @Override
    public int rank(long candidateId, float queryScore) {
        Integer known = ranks.get(candidateId);
        if (known != null) {
            return known;
        }
        int unknown = LocalVerifier.RECIPROCAL_DEPTH + 1;
        float[] v = library.vectors().apply(candidateId);
        int rank = unknown;
        if (v != null) {
            searches++;
            int closer = 0;
            // the candidate itself and the query may be among the results: two more than the depth
            for (ScoredId s : library.search().nearest(v, LocalVerifier.RECIPROCAL_DEPTH + 2)) {
                if (s.id() != candidateId && !(inLibrary && s.id() == queryId) && s.score() > queryScore) {
                    closer++;
                }
            }
            rank = 1 + Math.min(closer, LocalVerifier.RECIPROCAL_DEPTH);
        }
        ranks.put(candidateId, rank);
        return rank;
    }

    /** Neighbour searches this query has made (one per candidate asked that has a stored vector). */
    public int searches() {
        return searches;
    }
}

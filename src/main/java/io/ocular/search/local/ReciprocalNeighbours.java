package io.ocular.search.local;

import io.ocular.model.ScoredId;
import io.ocular.search.DatabaseAugmentation;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
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
    private final Map<Long, List<ScoredId>> lists = new HashMap<>();
    private int searches;

    private ReciprocalNeighbours(Library library, boolean inLibrary, long queryId) {
        this.library = library;
        this.inLibrary = inLibrary;
        this.queryId = queryId;
    }

    @Override
    public int rank(long candidateId, float queryScore) {
        return rank(candidateId, queryScore, Set.of());
    }

    /**
     * The rank as if the photos {@code without} were not in the library either (the eval's "library without the
     * query's group", for the no-match figures); the same neighbour search, remembered.
     */
    public int rank(long candidateId, float queryScore, Set<Long> without) {
        List<ScoredId> near = lists.computeIfAbsent(candidateId, id -> {
            float[] v = library.vectors().apply(id);
            if (v == null) {
                return null;
            }
            searches++;
            // the candidate itself and the query may be among the results: two more than the depth
            return library.search().nearest(v, LocalVerifier.RECIPROCAL_DEPTH + 2);
        });
        if (near == null) {
            return LocalVerifier.RECIPROCAL_DEPTH + 1;
        }
        int closer = 0;
        for (ScoredId s : near) {
            if (s.id() != candidateId && !(inLibrary && s.id() == queryId) && s.score() > queryScore
                    && !without.contains(s.id())) {
                closer++;
            }
        }
        return 1 + Math.min(closer, LocalVerifier.RECIPROCAL_DEPTH);
    }

    /** Neighbour searches this query has made (one per candidate asked that has a stored vector). */
    public int searches() {
        return searches;
    }
}

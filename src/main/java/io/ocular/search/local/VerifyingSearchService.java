package io.ocular.search.local;

import io.ocular.model.ImageRecord;
import io.ocular.model.OcularException;
import io.ocular.model.Query;
import io.ocular.model.ScoredId;
import io.ocular.model.SearchHit;
import io.ocular.model.SearchOptions;
import io.ocular.model.SearchResult;
import io.ocular.model.Verification;
import io.ocular.search.QuarterTurns;
import io.ocular.search.SearchService;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A {@link SearchService} decorator that adds instance verification: with {@link SearchOptions#verify()} it
 * takes the wrapped service's global short list ({@link SearchOptions#candidates()}), re-ranks it by verified
 * local-feature inliers ({@link LocalVerifier}) and reports "no confident match" in the notice when nothing
 * verifies. A candidate with fewer than 26 inliers is promoted only if the example is also among its own nearest
 * library photos ({@link ReciprocalNeighbours}: the live index searched with the candidate's stored vector, only
 * for candidates in that ambiguous band; decision record 0115, Amendment 8). Candidates without local features
 * keep their global order below the verified ones. Plain searches pass straight through. Thread-safe.
 */
public final class VerifyingSearchService implements SearchService {
    private final SearchService delegate;
    private final InstanceSearch instance;
    private final Supplier<ReciprocalNeighbours.Library> library;

    /**
     * Without the library's neighbours: every candidate's reciprocal rank is unknown, so the promotion rule only
     * promotes what its inliers alone confirm (26) or what stands out far enough without the term (for
     * {@link #explain}, which promotes nothing).
     */
    public VerifyingSearchService(SearchService delegate, InstanceSearch instance) {
        this(delegate, instance, () -> null);
    }

    /**
     * @param library the live library's stored vectors and neighbour search, asked once per verified search (null:
     *                unknown reciprocal ranks), for the reciprocal term of the promotion rule
     *                ({@link ReciprocalNeighbours}; decision record 0115, Amendment 8)
     */
    public VerifyingSearchService(SearchService delegate, InstanceSearch instance,
                                  Supplier<ReciprocalNeighbours.Library> library) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.instance = Objects.requireNonNull(instance, "instance");
        this.library = Objects.requireNonNull(library, "library");
    }

    @Override
    public SearchResult search(Query query, int k) {
        return delegate.search(query, k);
    }

    @Override
    public SearchResult search(Query query, int k, SearchOptions options) {
        if (!options.verify()) {
            return delegate.search(query, k, options);
        }
        long start = System.nanoTime();
        Path queryFile = exampleImage(query); // refuse text queries before any work
        LocalVerifier verifier = verifier();
        // the short list comes from within the scope (folders, dates, excluded ids), filtered inside the index
        // the short list in plain global order: the match confidence was calibrated on it, without augmentation
        SearchResult global = delegate.search(query, Math.max(k, options.candidates()),
                options.unverified().withAugment(false));
        if (global.hits().isEmpty()) {
            return new SearchResult(List.of(), global.modelId(), global.micros(), global.notice(),
                    new Verification(false, 0, verifier.config().confidentInliers(), Map.of()));
        }
        // the example as it is, and turned the way a hit matched it globally (described once per turn)
        BufferedImage queryImage = instance.load(queryFile);
        LocalFeatures[] views = new LocalFeatures[4];
        views[0] = verifier.describe(queryImage);
        List<ScoredId> candidates = new ArrayList<>(global.hits().size());
        Map<Long, SearchHit> byId = new HashMap<>();
        for (SearchHit h : global.hits()) {
            candidates.add(new ScoredId(h.imageId(), h.score()));
            byId.put(h.imageId(), h);
        }
        LocalVerifier.Reranked reranked = verifier.rerank(candidates, options.candidates(), i -> {
            int t = global.turns().getOrDefault(candidates.get(i).id(), 0);
            if (views[t] == null) {
                views[t] = verifier.describe(QuarterTurns.rotate(queryImage, t));
            }
            return views[t];
        }, reciprocal(query, queryFile));
        VerificationResult v = reranked.verification();
        Map<Long, Integer> inliersOf = new HashMap<>();
        Set<Long> unchecked = new HashSet<>();
        for (VerifiedCandidate c : v.ranked()) {
            inliersOf.put(c.id(), c.status() == VerifiedCandidate.Status.VERIFIED ? c.inliers() : 0);
            if (c.fallback()) {
                unchecked.add(c.id());
            }
        }
        List<SearchHit> hits = new ArrayList<>(k);
        Map<Long, Integer> inliers = new LinkedHashMap<>();
        for (ScoredId c : reranked.ranked()) {
            if (hits.size() == k) {
                break;
            }
            SearchHit h = byId.get(c.id());
            hits.add(h.withScore(c.score()));
            inliers.put(c.id(), inliersOf.getOrDefault(c.id(), 0));
        }
        long micros = (System.nanoTime() - start) / 1000;
        Map<Long, Integer> turns = new HashMap<>(global.turns());
        turns.keySet().retainAll(inliers.keySet());
        unchecked.retainAll(inliers.keySet());
        return new SearchResult(hits, global.modelId(), micros, v.notice(),
                new Verification(v.confidentMatch(), v.bestInliers(), verifier.config().confidentInliers(), inliers,
                        unchecked),
                turns);
    }

    /**
     * Draws the query beside one result with the verified correspondences (inliers green).
     *
     * @throws OcularException when that image has no local features yet or the query is not an image
     */
    public BufferedImage explain(Query query, long resultId, int height) {
        Path queryFile = exampleImage(query);
        LocalVerifier verifier = verifier();
        ImageRecord result = instance.catalog().image(resultId).orElseThrow(() -> new OcularException(
                "image " + resultId + " is not in the library"));
        BufferedImage qi = instance.load(queryFile);
        GeometricMatch m = verifier.explain(verifier.describe(qi), resultId).orElseThrow(() -> new OcularException(
                "image " + resultId + " has no local features yet; wait for indexing to finish"));
        return new LocalMatchRenderer(height, false).render(qi, instance.load(result.path()), m);
    }

    /**
     * The reciprocal ranks of this search: a library photo as the example (by id, or a file that is one) is left out
     * of its candidates' neighbour lists; a file from outside the library is ranked where it would stand among them.
     */
    private ReciprocalNeighbours reciprocal(Query query, Path queryFile) {
        ReciprocalNeighbours.Library lib = library.get();
        if (lib == null) {
            return null;
        }
        Optional<Long> self = query instanceof Query.ByImage i ? Optional.of(i.imageId())
                : instance.catalog().imageByPath(queryFile.toAbsolutePath().normalize()).map(ImageRecord::id);
        return self.map(lib::forLibraryPhoto).orElseGet(lib::forOutsideExample);
    }

    private LocalVerifier verifier() {
        if (!instance.enabled()) {
            throw new OcularException("Instance search is off; turn it on with 'ocular instance on' (it computes"
                    + " local features for the library).");
        }
        instance.requireModel();
        return instance.verifier().orElseThrow(() -> new OcularException("Instance search has no local features"
                + " yet; they are computed after indexing (at least " + instance.config().minImages()
                + " indexed images are needed). Run 'ocular index' or wait for indexing to finish."));
    }

    /** The example image of a query; text-only queries cannot be verified. */
    private Path exampleImage(Query query) {
        if (query instanceof Query.ByFile f) {
            return f.file();
        } else if (query instanceof Query.ByImage i) {
            return instance.catalog().image(i.imageId()).map(ImageRecord::path).orElseThrow(() ->
                    new OcularException("image " + i.imageId() + " is not in the library (it may have been removed)"));
        } else if (query instanceof Query.Composed) {
            throw new OcularException("Verification looks for the example image itself, so it does not apply to a"
                    + " changed (composed) query; leave out the modification to verify.");
        } else if (query instanceof Query.Refined r) {
            return exampleImage(r.base());
        }
        throw new OcularException("Verification compares details of an example image; give one (--image).");
    }
}

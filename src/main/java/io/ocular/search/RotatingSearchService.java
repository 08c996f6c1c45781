package io.ocular.search;

import io.ocular.embed.ImageEncoder;
import io.ocular.embed.ImageResampler;
import io.ocular.model.ImageRecord;
import io.ocular.model.OcularException;
import io.ocular.model.Query;
import io.ocular.model.ScoredId;
import io.ocular.model.SearchHit;
import io.ocular.model.SearchOptions;
import io.ocular.model.SearchResult;
import io.ocular.store.Catalog;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * A {@link SearchService} decorator for example images (a file, or a library photo: "More like this").
 * <ul>
 *   <li>Sideways photos: with {@link SearchOptions#rotations()} the example is encoded as it is and turned by 90°,
 *   180° and 270° (one batch), each view searched, and each photo keeps its best score ({@link RotationMerge},
 *   turned views paying {@link #TURN_PENALTY}). Optionally the turned views are embedded small first
 *   ({@link #TURN_SHORT_SIDE}) and the one that comes close to the upright view is embedded again at full size
 *   ({@link TurnRefinement}). The result says which hits matched turned ({@link SearchResult#turns()}).</li>
 *   <li>"More like this": when the example is a library photo and {@link SearchOptions#augment()} is on, the best
 *   {@link DatabaseAugmentation#SHORT_LIST} results are re-scored by database-side augmentation, each photo's
 *   nearest library photos found by searching the index with its stored vector when the query runs
 *   ({@link DatabaseAugmentation#rescoreHead}; decision record 0115, Amendment 6).</li>
 * </ul>
 * Everything else passes straight through. The options' scope is applied inside the index for every view (the
 * neighbours of the augmentation are searched over the whole library). Thread-safe if its collaborators are.
 */
public final class RotatingSearchService implements SearchService {
    /** Score a turned view pays against the upright one (decision record 0115: best on holidays-dev). */
    public static final float TURN_PENALTY = 0.02f;
    /**
     * Shorter side, in pixels, at which the three turned views can be embedded first (the upright view keeps the
     * encoder's own size), the one that comes close to the upright view then at full size ({@link TurnRefinement}):
     * on holidays-dev the same mAP as full-size turns for upright and sideways examples (within 0.002), at 2.0× the
     * upright query's embedding CPU instead of 4.0×. The app's default since decision record 0115, Amendment 7.
     */
    public static final int TURN_SHORT_SIDE = 160;

    private final SearchService delegate;
    private final Catalog catalog;
    private final Supplier<VectorIndex> index;
    private final ImageEncoder encoder;
    private final QueryImageLoader loader;
    private final int turnShortSide;
    private final int augmentNeighbours;
    private final float augmentAlpha;

    /** Turned views embedded at the encoder's own size, no database-side augmentation. */
    public RotatingSearchService(SearchService delegate, Catalog catalog, Supplier<VectorIndex> index,
                                 ImageEncoder encoder, QueryImageLoader loader) {
        this(delegate, catalog, index, encoder, loader, 0, 0, 0f);
    }

    /**
     * @param turnShortSide      shorter side at which the turned views are first embedded when the encoder takes
     *                           any input size (e.g. {@link #TURN_SHORT_SIDE}; the one that may beat the upright
     *                           view is then embedded again at full size, {@link TurnRefinement}); 0: the
     *                           encoder's own size
     * @param augmentNeighbours  database-side augmentation for a library photo as the example (e.g.
     *                           {@link DatabaseAugmentation#DEFAULT_NEIGHBOURS}); 0: off
     * @param augmentAlpha       its weight exponent ({@link DatabaseAugmentation#DEFAULT_ALPHA})
     */
    public RotatingSearchService(SearchService delegate, Catalog catalog, Supplier<VectorIndex> index,
                                 ImageEncoder encoder, QueryImageLoader loader, int turnShortSide,
                                 int augmentNeighbours, float augmentAlpha) {
        if (turnShortSide != 0 && turnShortSide < 32) {
            throw new IllegalArgumentException("turned views need at least 32 pixels (got " + turnShortSide + ")");
        }
        if (augmentNeighbours < 0 || !(augmentAlpha >= 0) || !Float.isFinite(augmentAlpha)) {
            throw new IllegalArgumentException("augmentation needs neighbours >= 0 and a finite alpha >= 0");
        }
        this.turnShortSide = turnShortSide;
        this.augmentNeighbours = augmentNeighbours;
        this.augmentAlpha = augmentAlpha;
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.index = Objects.requireNonNull(index, "index");
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.loader = Objects.requireNonNull(loader, "loader");
    }

    /**
     * The image's vectors as it is (at the encoder's own size) and turned by 90°, 180° and 270°: with a
     * {@code side} smaller than the encoder's own (and an encoder that takes any size) the image is shrunk once to
     * it, then turned, and the turned copies embedded at that size. Four vectors, upright first.
     */
    static float[][] embedViews(ImageEncoder encoder, BufferedImage image, int side) {
        if (side <= 0 || !encoder.takesAnySize() || encoder.preferredShortSide() <= side) {
            List<BufferedImage> views = new ArrayList<>(4);
            for (int t : QuarterTurns.ALL) {
                views.add(QuarterTurns.rotate(image, t));
            }
            return encoder.encode(views); // a fixed input size (CLIP): all four at it, one batch
        }
        float[][] out = new float[4][];
        out[0] = encoder.encode(List.of(image))[0];
        BufferedImage small = ImageResampler.shrunk(image, side);
        List<BufferedImage> turned = new ArrayList<>(3);
        for (int t = 1; t < 4; t++) {
            turned.add(QuarterTurns.rotate(small, t));
        }
        float[][] v = encoder.encode(turned, side);
        System.arraycopy(v, 0, out, 1, 3);
        return out;
    }

    private boolean smallTurns() {
        return turnShortSide > 0 && encoder.takesAnySize() && encoder.preferredShortSide() > turnShortSide;
    }

    @Override
    public SearchResult search(Query query, int k) {
        return delegate.search(query, k);
    }

    @Override
    public SearchResult search(Query query, int k, SearchOptions options) {
        if (options.verify() || !(query instanceof Query.ByFile || query instanceof Query.ByImage)
                || !options.rotations() && (!options.augment() || augmentNeighbours == 0)) {
            return delegate.search(query, k, options);
        }
        if (k < 1) {
            throw new OcularException("ask for at least one result (got " + k + ")");
        }
        long start = System.nanoTime();
        VectorIndex idx = index.get();
        if (idx == null || idx.size() == 0 || idx.dimension() != encoder.dimension()) {
            return delegate.search(query, k, options.withRotations(false).withAugment(false)); // its notice says why
        }
        Path file;
        Optional<Long> self;
        if (query instanceof Query.ByImage q) {
            ImageRecord rec = catalog.image(q.imageId()).orElseThrow(() -> new OcularException(
                    "image " + q.imageId() + " is not in the library (it may have been removed)"));
            file = rec.path();
            self = Optional.of(q.imageId());
        } else {
            file = ((Query.ByFile) query).file();
            self = catalog.imageByPath(file.toAbsolutePath().normalize()).map(ImageRecord::id);
        }
        // a library photo as the example ("More like this"): its photos join their nearest library photo's evidence
        boolean augment = options.augment() && augmentNeighbours > 0 && self.isPresent();
        if (!options.rotations() && !augment) {
            return delegate.search(query, k, options);
        }
        int want = Math.max(k + 9, augment ? DatabaseAugmentation.SHORT_LIST : 0);
        // the scope (folders, dates, excluded ids) and the example itself are left out inside the index
        SearchFilter filter = ScopeFilters.of(catalog, options.scope(), self.map(Set::of).orElse(Set.of()), idx);
        float[][] views;
        List<List<ScoredId>> perTurn = new ArrayList<>(4);
        if (options.rotations()) {
            BufferedImage image = loader.load(file);
            views = embedViews(encoder, image, turnShortSide);
            for (float[] v : views) {
                perTurn.add(idx.search(v, want, filter));
            }
            if (smallTurns()) { // the small turned view that may beat the upright one is embedded again at full size
                for (int t : TurnRefinement.turnsToRefine(perTurn, TURN_PENALTY)) {
                    views[t] = encoder.encode(List.of(QuarterTurns.rotate(image, t)))[0];
                    perTurn.set(t, idx.search(views[t], want, filter));
                }
            }
        } else {
            views = new float[][]{selfVector(self.get(), file)};
            perTurn.add(idx.search(views[0], want, filter));
        }
        List<RotationMerge.Hit> merged = RotationMerge.merge(perTurn, TURN_PENALTY, want);
        Map<Long, Integer> turnOf = new HashMap<>();
        List<ScoredId> ranked = new ArrayList<>(merged.size());
        for (RotationMerge.Hit h : merged) {
            ranked.add(h.scored());
            turnOf.put(h.id(), h.turns());
        }
        if (augment) {
            LongFunction<float[]> stored = this::storedVector;
            ranked = DatabaseAugmentation.rescoreHead(ranked, DatabaseAugmentation.SHORT_LIST, stored,
                    neighbourSearch(idx), augmentNeighbours, augmentAlpha, DatabaseAugmentation.bestViewScore(views, TURN_PENALTY, stored));
        }
        List<SearchHit> hits = new ArrayList<>(k);
        Map<Long, Integer> turns = new HashMap<>();
        Set<Path> videos = new HashSet<>();
        for (ScoredId h : ranked) {
            if (hits.size() == k) {
                break;
            }
            if (self.isPresent() && self.get() == h.id()) {
                continue;
            }
            Optional<ImageRecord> rec = catalog.image(h.id());
            if (rec.isPresent() && !(rec.get().isMoment() && videos.contains(rec.get().path()))) {
                if (rec.get().isMoment()) {
                    videos.add(rec.get().path()); // one hit per video: its best moment
                }
                hits.add(SearchHit.of(rec.get(), h.score()));
                int t = turnOf.getOrDefault(h.id(), 0);
                if (t != 0) {
                    turns.put(h.id(), t);
                }
            }
        }
        long micros = (System.nanoTime() - start) / 1000;
        String notice = !hits.isEmpty() ? null
                : options.scope().narrowed() ? ScopeFilters.NOTHING_IN_SCOPE : "no other images to show";
        return new SearchResult(hits, encoder.modelId(), micros, notice, null, turns);
    }

    /**
     * Where the augmentation finds each short-listed photo's nearest library photos: with compact codes, the duplicate
     * scan's cheap search ({@link AdaptiveIndex#neighbours()}: 8 lists, k·4 candidates re-ranked exactly — a photo's
     * nearest sit in its own list or one beside it), not a full query's. The short list is
     * {@value DatabaseAugmentation#SHORT_LIST} photos: 100 full searches made "More like this" 3.7 s at 1M photos
     * (issue 13). Without codes (below the size threshold) the index's exact search, as before.
     */
    public static DatabaseAugmentation.NeighbourSearch neighbourSearch(VectorIndex idx) {
        DuplicateFinder.Neighbours cheap = idx instanceof AdaptiveIndex a ? a.neighbours() : null;
        return cheap != null ? cheap::near : idx::search;
    }

    private float[] storedVector(long id) {
        return storedVectors(catalog, encoder).apply(id);
    }

    /** Library photos' stored vectors of the encoder's model (null: not embedded yet, or unusable). */
    public static LongFunction<float[]> storedVectors(Catalog catalog, ImageEncoder encoder) {
        return id -> catalog.embedding(id, encoder.modelId())
                .filter(v -> v.length == encoder.dimension() && VectorMath.isFinite(v)).orElse(null);
    }

    /** The example's stored vector, else its file embedded now (indexing may still be running). */
    private float[] selfVector(long id, Path file) {
        float[] v = storedVector(id);
        return v != null ? v : encoder.encode(List.of(loader.load(file)))[0];
    }
}

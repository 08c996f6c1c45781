package io.ocular.search;

import io.ocular.embed.ImageEncoder;
import io.ocular.embed.TextEncoder;
import io.ocular.model.ImageRecord;
import io.ocular.model.OcularException;
import io.ocular.model.Query;
import io.ocular.model.ScoredId;
import io.ocular.model.SearchHit;
import io.ocular.model.SearchOptions;
import io.ocular.model.SearchResult;
import io.ocular.model.SearchScope;
import io.ocular.store.Catalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The query engine: turns each {@link Query} variant into one query vector of the active model, searches
 * the active model's {@link VectorIndex}, and resolves hits to catalogued paths.
 *
 * <ul>
 *   <li>{@code ByImage}: the stored vector (encoded from the file if not stored yet); the image itself is
 *       left out of the results.</li>
 *   <li>{@code ByFile}: decoded by the {@link QueryImageLoader} and encoded; if the file is in the library
 *       it is left out too.</li>
 *   <li>{@code ByText}: the text tower; a model without one gets a clear message.</li>
 *   <li>{@code Composed}: the {@link QueryComposer} (w = 0 image only, w = 1 text only).</li>
 *   <li>{@code Refined}: {@link Rocchio} round by round; images marked irrelevant in any round are left out.</li>
 * </ul>
 * A {@link SearchScope} (folders, dates, excluded ids) becomes the index's {@link SearchFilter}: it is applied
 * inside the vector search, so k results come back whenever the scope holds k photos.
 * Thread-safe if its collaborators are.
 */
public final class DefaultSearchService implements SearchService {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultSearchService.class);
    /** Longest query text accepted (CLIP truncates at 77 tokens anyway). */
    static final int MAX_TEXT_CHARS = 1000;

    private final Catalog catalog;
    private final Supplier<VectorIndex> index;
    private final ImageEncoder imageEncoder;
    private final Optional<TextEncoder> textEncoder;
    private final QueryImageLoader imageLoader;
    private final QueryComposer composer;
    private final Rocchio rocchio;

    public DefaultSearchService(Catalog catalog, Supplier<VectorIndex> index, ImageEncoder imageEncoder,
                                Optional<TextEncoder> textEncoder, QueryImageLoader imageLoader,
                                QueryComposer composer, Rocchio rocchio) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.index = Objects.requireNonNull(index, "index");
        this.imageEncoder = Objects.requireNonNull(imageEncoder, "imageEncoder");
        this.textEncoder = Objects.requireNonNull(textEncoder, "textEncoder");
        this.imageLoader = Objects.requireNonNull(imageLoader, "imageLoader");
        this.composer = Objects.requireNonNull(composer, "composer");
        this.rocchio = Objects.requireNonNull(rocchio, "rocchio");
        textEncoder.ifPresent(t -> {
            if (!t.modelId().equals(imageEncoder.modelId()) || t.dimension() != imageEncoder.dimension()) {
                throw new IllegalArgumentException("text encoder " + t.modelId() + " (" + t.dimension()
                        + "-d) does not match image encoder " + imageEncoder.modelId() + " ("
                        + imageEncoder.dimension() + "-d)");
            }
        });
    }

    /** With the zero-shot composer and the default Rocchio weights. */
    public DefaultSearchService(Catalog catalog, Supplier<VectorIndex> index, ImageEncoder imageEncoder,
                                Optional<TextEncoder> textEncoder, QueryImageLoader imageLoader) {
        this(catalog, index, imageEncoder, textEncoder, imageLoader, new WeightedSumComposer(), Rocchio.DEFAULT);
    }

    /** A query vector plus the ids that must not be returned. */
    private record Resolved(float[] vector, Set<Long> excluded) {
    }

    @Override
    public SearchResult search(Query query, int k) {
        return search(query, k, SearchScope.ALL);
    }

    /** Unverified searches within {@link SearchOptions#scope()}; verification needs the verifying decorator. */
    @Override
    public SearchResult search(Query query, int k, SearchOptions options) {
        if (options.verify()) {
            return SearchService.super.search(query, k, options); // says verification is not available here
        }
        return search(query, k, options.scope());
    }

    private SearchResult search(Query query, int k, SearchScope scope) {
        Objects.requireNonNull(query, "query");
        if (k < 1) {
            throw new OcularException("ask for at least one result (got " + k + ")");
        }
        long start = System.nanoTime();
        String modelId = imageEncoder.modelId();
        VectorIndex idx = index.get();
        if (idx == null) {
            throw new OcularException("there is no search index for the model " + modelId + " yet; add a folder and "
                    + "wait for indexing to finish");
        }
        if (idx.dimension() != imageEncoder.dimension()) {
            throw new OcularException("the search index holds " + idx.dimension() + "-dimensional vectors but the "
                    + "active model " + modelId + " makes " + imageEncoder.dimension() + "-dimensional ones; "
                    + "re-index the library with the active model");
        }
        Resolved q = resolve(query);
        SearchFilter inScope = ScopeFilters.narrowing(catalog, scope, idx);
        List<SearchHit> hits = idx.size() > 0 ? hits(idx, q, k, inScope, scope.excluded()) : List.of();
        String notice = null;
        if (idx.size() == 0) {
            notice = "no images are indexed with " + modelId + " yet";
        } else if (hits.isEmpty() && scope.narrowed()) {
            notice = ScopeFilters.NOTHING_IN_SCOPE;
        } else if (hits.isEmpty()) {
            notice = "no other images to show";
        }
        long micros = (System.nanoTime() - start) / 1000;
        LOG.debug("{} -> {} hits in {} us", query.getClass().getSimpleName(), hits.size(), micros);
        return new SearchResult(hits, modelId, micros, notice);
    }

    /**
     * The k best allowed hits with their paths: the index leaves out the excluded ids and those outside the
     * scope itself (so k come back whenever the scope holds k photos), and the records
     * of all hits are read in one catalog query. An image deleted after its vector was read (the daemon removes
     * the vector right after the row) is left out and the search asks once more without it.
     */
    private List<SearchHit> hits(VectorIndex idx, Resolved q, int k, SearchFilter inScope, Set<Long> alsoExcluded) {
        Set<Long> excluded = new HashSet<>(q.excluded());
        excluded.addAll(alsoExcluded);
        List<SearchHit> hits = new ArrayList<>(k);
        for (int round = 0; round < 3; round++) {
            List<ScoredId> found = idx.search(q.vector(), k, inScope.and(SearchFilter.excluding(excluded)));
            Map<Long, ImageRecord> records = catalog.images(found.stream().map(ScoredId::id).toList());
            hits.clear();
            for (ScoredId s : found) {
                ImageRecord rec = records.get(s.id());
                if (rec != null) {
                    hits.add(SearchHit.of(rec, s.score()));
                } else {
                    excluded.add(s.id());
                }
            }
            if (hits.size() == found.size() || found.size() < k) {
                break;
            }
        }
        return VideoHits.bestMomentPerVideo(hits);
    }

    private Resolved resolve(Query query) {
        if (query instanceof Query.ByImage q) {
            return new Resolved(imageVector(q.imageId()), Set.of(q.imageId()));
        } else if (query instanceof Query.ByFile q) {
            Set<Long> excluded = catalog.imageByPath(q.file().toAbsolutePath().normalize())
                    .map(r -> Set.of(r.id())).orElse(Set.of());
            return new Resolved(encodeFile(q.file()), excluded);
        } else if (query instanceof Query.ByText q) {
            return new Resolved(textVector(q.text()), Set.of());
        } else if (query instanceof Query.Composed q) {
            WeightedSumComposer.requireWeight(q.weight());
            Resolved ref = resolve(q.reference());
            if (q.weight() == 0) {
                return ref;
            }
            float[] text = textVector(q.modification());
            if (q.weight() == 1) {
                return new Resolved(text, ref.excluded());
            }
            return new Resolved(composer.compose(ref.vector(), text, q.weight()), ref.excluded());
        } else if (query instanceof Query.Refined q) {
            Resolved base = resolve(q.base());
            float[] v = base.vector();
            Set<Long> excluded = new HashSet<>(base.excluded());
            for (Query.FeedbackRound round : q.rounds()) {
                v = rocchio.refine(v, storedVectors(round.relevant()), storedVectors(round.irrelevant()));
                excluded.addAll(round.irrelevant());
            }
            return new Resolved(v, excluded);
        }
        throw new IllegalArgumentException("unknown query type: " + query);
    }

    private float[] imageVector(long imageId) {
        Optional<float[]> stored = catalog.embedding(imageId, imageEncoder.modelId());
        if (stored.isPresent()) {
            return checked(stored.get(), "the stored vector of image " + imageId);
        }
        ImageRecord rec = catalog.image(imageId).orElseThrow(() -> new OcularException(
                "image " + imageId + " is not in the library (it may have been removed)"));
        // Not embedded yet (indexing still running): embed the file now rather than fail.
        return encodeFile(rec.path());
    }

    private List<float[]> storedVectors(Set<Long> ids) {
        List<float[]> out = new ArrayList<>(ids.size());
        for (long id : ids) {
            catalog.embedding(id, imageEncoder.modelId()).ifPresent(v -> {
                if (v.length == imageEncoder.dimension() && VectorMath.isFinite(v)) {
                    out.add(v);
                }
            });
        }
        return out;
    }

    private float[] encodeFile(Path file) {
        BufferedImage image = imageLoader.load(file);
        if (image == null) {
            throw new OcularException("could not read " + file + " as an image");
        }
        float[][] v = imageEncoder.encode(List.of(image));
        return checked(v[0], "the vector of " + file.getFileName());
    }

    private float[] textVector(String text) {
        String t = text.strip();
        if (t.isEmpty()) {
            throw new OcularException("type some words to search for");
        }
        if (t.length() > MAX_TEXT_CHARS) {
            throw new OcularException("the search text is too long (" + t.length() + " characters; at most "
                    + MAX_TEXT_CHARS + ")");
        }
        TextEncoder te = textEncoder.orElseThrow(() -> new OcularException("the active model ("
                + imageEncoder.modelId() + ") cannot read text; to search by words, get CLIP (in the window: "
                + "Models & settings; on the command line: ocular models download clip-vit-b32, then ocular index "
                + "--model clip-vit-b32) and make it the active model"));
        return checked(te.encodeText(List.of(t))[0], "the text vector");
    }

    private float[] checked(float[] v, String what) {
        if (v == null || v.length != imageEncoder.dimension() || !VectorMath.isFinite(v)) {
            throw new OcularException(what + " is unusable (wrong length or not a number); re-index the library");
        }
        return v;
    }
}

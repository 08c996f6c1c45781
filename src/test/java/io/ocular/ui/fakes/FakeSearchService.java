package io.ocular.ui.fakes;

import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import io.ocular.model.OcularException;
import io.ocular.model.Query;
import io.ocular.model.SearchHit;
import io.ocular.model.SearchOptions;
import io.ocular.model.SearchResult;
import io.ocular.search.SearchService;
import io.ocular.store.Catalog;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A search service over the catalog's indexed images with simple, predictable rankings: by text, file names
 * containing the words come first; by image, ids closest to the reference; composed, the reference's ranking
 * shifted by the words' length; refined, relevant ids first and irrelevant ones dropped. Records each query.
 */
public final class FakeSearchService implements SearchService {
    private final Catalog catalog;
    public final List<Query> queries = new CopyOnWriteArrayList<>();
    /** Options of the searches made with options. */
    public final List<SearchOptions> options = new CopyOnWriteArrayList<>();
    private final Map<Long, Integer> sideways = new ConcurrentHashMap<>();
    private volatile String textFailure;
    private volatile String notice;

    public FakeSearchService(Catalog catalog) {
        this.catalog = catalog;
    }

    /** Attaches this notice to every result (e.g. partial coverage while re-indexing). */
    public void notice(String text) {
        notice = text;
    }

    /** Makes text queries fail as with no text-capable model. */
    public void failTextWith(String message) {
        textFailure = message;
    }

    /** With rotations, this photo matches the example only turned by {@code turns} quarter turns clockwise. */
    public void sideways(long id, int turns) {
        sideways.put(id, turns);
    }

    @Override
    public SearchResult search(Query query, int k, SearchOptions opts) {
        options.add(opts);
        SearchResult r = search(query, k);
        if (!opts.rotations()) {
            return r;
        }
        Map<Long, Integer> turns = new HashMap<>();
        for (SearchHit h : r.hits()) {
            if (sideways.containsKey(h.imageId())) {
                turns.put(h.imageId(), sideways.get(h.imageId()));
            }
        }
        return new SearchResult(r.hits(), r.modelId(), r.micros(), r.notice(), null, turns);
    }

    @Override
    public SearchResult search(Query query, int k) {
        queries.add(query);
        List<ImageRecord> all = catalog.folders().stream()
                .flatMap(f -> catalog.imagesInFolder(f.id()).stream())
                .filter(r -> r.status() == ImageStatus.INDEXED).toList();
        List<ImageRecord> ranked = rank(query, all);
        List<SearchHit> hits = new ArrayList<>();
        for (int i = 0; i < ranked.size() && i < k; i++) {
            hits.add(new SearchHit(ranked.get(i).id(), ranked.get(i).path(), 1f - i / (float) (ranked.size() + 1)));
        }
        return new SearchResult(hits, "fake", 1500, notice);
    }

    private List<ImageRecord> rank(Query query, List<ImageRecord> all) {
        List<ImageRecord> list = new ArrayList<>(all);
        if (query instanceof Query.ByText t) {
            if (textFailure != null) {
                throw new OcularException(textFailure);
            }
            String w = t.text().toLowerCase(Locale.ROOT);
            list.sort(Comparator.comparing((ImageRecord r) -> !r.path().getFileName().toString().contains(w))
                    .thenComparingLong(ImageRecord::id));
        } else if (query instanceof Query.ByImage b) {
            list.sort(Comparator.comparingLong((ImageRecord r) -> Math.abs(r.id() - b.imageId()))
                    .thenComparingLong(ImageRecord::id));
        } else if (query instanceof Query.ByFile f) {
            list.sort(Comparator.comparingLong(ImageRecord::id).reversed());
        } else if (query instanceof Query.Composed c) {
            list = rank(c.reference(), all);
            int shift = Math.min(c.modification().length(), list.size());
            List<ImageRecord> rotated = new ArrayList<>(list.subList(shift, list.size()));
            rotated.addAll(list.subList(0, shift));
            list = rotated;
        } else if (query instanceof Query.Refined r) {
            list = rank(r.base(), all);
            Set<Long> rel = new HashSet<>();
            Set<Long> irr = new HashSet<>();
            r.rounds().forEach(round -> {
                rel.addAll(round.relevant());
                irr.addAll(round.irrelevant());
            });
            list.removeIf(x -> irr.contains(x.id()));
            list.sort(Comparator.comparing((ImageRecord x) -> !rel.contains(x.id())));
        }
        return list;
    }
}

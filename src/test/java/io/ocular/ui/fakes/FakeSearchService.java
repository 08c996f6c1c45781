package io.ocular.ui.fakes;

import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import io.ocular.model.OcularException;
import io.ocular.model.Query;
import io.ocular.model.SearchHit;
import io.ocular.model.SearchOptions;
import io.ocular.model.SearchResult;
import io.ocular.model.SearchScope;
import io.ocular.model.Verification;
import io.ocular.search.SearchService;
import io.ocular.store.Catalog;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
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
    /** The options of each search, in order. */
    public final List<SearchOptions> options = new CopyOnWriteArrayList<>();
    private final Map<Long, Integer> sideways = new ConcurrentHashMap<>();
    private volatile String textFailure;
    private volatile String notice;
    /** Verified searches: names containing this verify (null: none does, "no confident match"). */
    public volatile String verifiedWord = "beach";
    /** Verified searches: names containing this have no local features. */
    public volatile String noFeaturesWord = "city";

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
    public SearchResult search(Query query, int k) {
        return search(query, k, SearchOptions.DEFAULT);
    }

    /** Ranks only the photos in the options' scope (as the real index does), so k come back when there are k. */
    @Override
    public SearchResult search(Query query, int k, SearchOptions options) {
        queries.add(query);
        this.options.add(options);
        SearchScope scope = options.scope();
        List<ImageRecord> all = catalog.folders().stream()
                .flatMap(f -> catalog.imagesInFolder(f.id()).stream())
                .filter(r -> r.status() == ImageStatus.INDEXED)
                .filter(r -> scope.contains(r.path(), r.takenAt(), r.mtimeMillis()) && !scope.excluded().contains(r.id()))
                .toList();
        List<ImageRecord> ranked = rank(query, all);
        List<SearchHit> hits = new ArrayList<>();
        for (int i = 0; i < ranked.size() && i < k; i++) {
            hits.add(new SearchHit(ranked.get(i).id(), ranked.get(i).path(), 1f - i / (float) (ranked.size() + 1)));
        }
        Map<Long, Integer> turns = new HashMap<>();
        if (options.rotations()) {
            for (SearchHit h : hits) {
                if (sideways.containsKey(h.imageId())) {
                    turns.put(h.imageId(), sideways.get(h.imageId()));
                }
            }
        }
        return new SearchResult(hits, "fake", 1500, notice, options.verify() ? verify(hits) : null, turns);
    }

    /**
     * A fake verification: photos whose name contains {@link #verifiedWord} verify (30 points), those containing
     * {@link #noFeaturesWord} have no features, the rest do not verify; confident when any verified.
     */
    private Verification verify(List<SearchHit> hits) {
        Map<Long, Integer> inliers = new HashMap<>();
        Set<Long> none = new HashSet<>();
        for (SearchHit h : hits) {
            String name = h.path().getFileName().toString();
            boolean ok = verifiedWord != null && name.contains(verifiedWord);
            inliers.put(h.imageId(), ok ? 30 : 0);
            if (name.contains(noFeaturesWord)) {
                none.add(h.imageId());
            }
        }
        int best = inliers.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        return new Verification(best >= 20, best, 20, inliers, none);
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

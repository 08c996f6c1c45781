package io.ocular.eval;

import io.ocular.model.ScoredId;
import io.ocular.search.ComposedTriplets;
import io.ocular.search.ExactIndex;
import io.ocular.search.QueryComposer;
import io.ocular.search.ScanPool;
import io.ocular.search.VectorMath;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores a {@link ComposedBenchmark} with the benchmark's own metrics: Recall@1/5/10/50 over the split's gallery
 * and, for CIRR, Recall_subset@1/2/3 among the triplet's {@code img_set} members (the reference left out of
 * both, as CIRR's evaluation does). Triplets whose reference, target or text has no vector (an unreadable image)
 * are counted as {@code skipped}, not as misses; a triplet without a target (CIRR's test split) cannot be scored.
 */
public final class ComposedEval {
    public static final int[] KS = {1, 5, 10, 50};
    public static final int[] SUBSET_KS = {1, 2, 3};

    private final ComposedBenchmark benchmark;
    private final List<String> names;
    private final Map<String, Integer> idOf = new HashMap<>();
    private final float[][] imageVectors;
    private final float[][] textVectors;

    /**
     * @param imageVectors per image of {@code benchmark.images()} (in its order), null where it could not be read
     * @param textVectors  per triplet, the text tower's vector of its text
     */
    public ComposedEval(ComposedBenchmark benchmark, float[][] imageVectors, float[][] textVectors) {
        this.benchmark = benchmark;
        this.names = new ArrayList<>(benchmark.images().keySet());
        if (imageVectors.length != names.size() || textVectors.length != benchmark.triplets().size()) {
            throw new IllegalArgumentException("vectors do not match the benchmark");
        }
        for (int i = 0; i < names.size(); i++) {
            idOf.put(names.get(i), i);
        }
        this.imageVectors = imageVectors;
        this.textVectors = textVectors;
    }

    /** The scorable triplets as training data (target ids = gallery positions), and their reference ids. */
    public ComposedTriplets triplets() {
        return usable().triplets();
    }

    private record Usable(ComposedTriplets triplets, long[] referenceIds, List<ComposedBenchmark.Triplet> source) {
    }

    private Usable usable() {
        List<float[]> r = new ArrayList<>();
        List<float[]> t = new ArrayList<>();
        List<float[]> g = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        List<Long> refs = new ArrayList<>();
        List<ComposedBenchmark.Triplet> source = new ArrayList<>();
        for (int i = 0; i < benchmark.triplets().size(); i++) {
            ComposedBenchmark.Triplet q = benchmark.triplets().get(i);
            Integer ref = idOf.get(q.reference());
            Integer target = q.target() == null ? null : idOf.get(q.target());
            if (ref == null || target == null || imageVectors[ref] == null || imageVectors[target] == null
                    || textVectors[i] == null) {
                continue;
            }
            r.add(imageVectors[ref]);
            t.add(textVectors[i]);
            g.add(imageVectors[target]);
            ids.add((long) target);
            refs.add((long) ref);
            source.add(q);
        }
        return new Usable(new ComposedTriplets(r.toArray(new float[0][]), t.toArray(new float[0][]),
                g.toArray(new float[0][]), ids.stream().mapToLong(Long::longValue).toArray()),
                refs.stream().mapToLong(Long::longValue).toArray(), source);
    }

    /** The benchmark's metrics for one composer at one text weight. */
    public Map<String, Object> score(QueryComposer composer, double weight, ScanPool pool) {
        Usable u = usable();
        int dim = u.triplets().size() > 0 ? u.triplets().dimension() : 1;
        List<Long> galleryIds = new ArrayList<>();
        List<float[]> galleryRows = new ArrayList<>();
        for (int i = 0; i < imageVectors.length; i++) {
            if (imageVectors[i] != null) {
                galleryIds.add((long) i);
                galleryRows.add(imageVectors[i]);
            }
        }
        float[] flat = new float[galleryRows.size() * dim];
        for (int i = 0; i < galleryRows.size(); i++) {
            System.arraycopy(galleryRows.get(i), 0, flat, i * dim, dim);
        }
        ExactIndex gallery = new ExactIndex(dim, pool);
        gallery.addAll(galleryIds.stream().mapToLong(Long::longValue).toArray(), flat);
        int n = u.triplets().size();
        long[] hits = new long[KS.length];
        long[] subsetHits = new long[SUBSET_KS.length];
        int subsetQueries = 0;
        for (int i = 0; i < n; i++) {
            float[] q = composer.compose(u.triplets().references()[i], u.triplets().texts()[i], weight);
            long target = u.triplets().targetIds()[i];
            long ref = u.referenceIds()[i];
            int rank = 0;
            int found = -1;
            for (ScoredId s : gallery.search(q, KS[KS.length - 1] + 1)) {
                if (benchmark.excludeReference() && s.id() == ref) {
                    continue;
                }
                if (s.id() == target) {
                    found = rank;
                    break;
                }
                rank++;
            }
            for (int k = 0; k < KS.length; k++) {
                hits[k] += found >= 0 && found < KS[k] ? 1 : 0;
            }
            List<String> subset = u.source().get(i).subset();
            if (!subset.isEmpty()) {
                subsetQueries++;
                float targetScore = VectorMath.dot(q, u.triplets().targets()[i]);
                int better = 0;
                for (String m : subset) {
                    Integer id = idOf.get(m);
                    if (id == null || id == target || id == ref || imageVectors[id] == null) {
                        continue;
                    }
                    better += VectorMath.dot(q, imageVectors[id]) > targetScore ? 1 : 0;
                }
                for (int k = 0; k < SUBSET_KS.length; k++) {
                    subsetHits[k] += better < SUBSET_KS[k] ? 1 : 0;
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (int k = 0; k < KS.length; k++) {
            out.put("recall@" + KS[k], n == 0 ? 0.0 : hits[k] / (double) n);
        }
        if (subsetQueries > 0) {
            for (int k = 0; k < SUBSET_KS.length; k++) {
                out.put("recall_subset@" + SUBSET_KS[k], subsetHits[k] / (double) subsetQueries);
            }
        }
        out.put("queries", n);
        out.put("skipped_queries", benchmark.triplets().size() - n);
        out.put("gallery", galleryIds.size());
        return out;
    }
}

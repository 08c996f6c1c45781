package io.ocular.eval;

import io.ocular.model.OcularException;
import io.ocular.model.ScoredId;
import io.ocular.search.VectorIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongFunction;

/**
 * Scores a search function against a {@link GroundTruth}. It knows nothing about how vectors were made or
 * how the index works: it gets the catalog ids of the dataset's files, a way to look up a vector by id, and
 * a search function (any {@link VectorIndex}, or a search with re-ranking in front of one).
 *
 * <p>Files without an id or a vector (the indexer skipped them) cannot be queries and can never be found:
 * they still count as relevant, so a broken file lowers the score instead of silently improving it.
 */
public final class Evaluator {
    private static final Logger LOG = LoggerFactory.getLogger(Evaluator.class);

    /** A k-nearest-neighbour search over the database vectors, best first. */
    @FunctionalInterface
    public interface Searcher {
        List<ScoredId> search(float[] query, int k);
    }

    /** A search that also knows which catalog image the query is (e.g. to re-rank with its local features). */
    @FunctionalInterface
    public interface QuerySearcher {
        List<ScoredId> search(long queryId, float[] query, int k);
    }

    /**
     * Adds the database files of {@code truth} to {@code index}; returns how many had a vector.
     */
    public int populate(VectorIndex index, GroundTruth truth, Map<Path, Long> ids, LongFunction<float[]> vectors) {
        int added = 0;
        for (Path p : truth.database()) {
            Long id = ids.get(p);
            float[] v = id == null ? null : vectors.apply(id);
            if (v != null) {
                index.add(id, v);
                added++;
            }
        }
        return added;
    }

    /** Runs every query and averages the protocol's measures. */
    public EvalReport evaluate(GroundTruth truth, Map<Path, Long> ids, LongFunction<float[]> vectors,
                               Searcher searcher) {
        return evaluate(truth, ids, vectors, (QuerySearcher) (id, q, k) -> searcher.search(q, k));
    }

    /** Runs every query with a searcher that is told the query's catalog id. */
    public EvalReport evaluate(GroundTruth truth, Map<Path, Long> ids, LongFunction<float[]> vectors,
                               QuerySearcher searcher) {
        long start = System.nanoTime();
        int databaseSize = 0;
        for (Path p : truth.database()) {
            if (ids.containsKey(p)) {
                databaseSize++;
            }
        }
        int depth = truth.depth() == 0 ? Math.max(1, databaseSize) : truth.depth();
        Set<GroundTruth.Measure> measures = truth.measures();
        List<Double> aps = new ArrayList<>();
        List<Double> p10s = new ArrayList<>();
        List<Integer> ns = new ArrayList<>();
        int missing = 0;
        for (GroundTruth.QuerySpec q : truth.queries()) {
            Long qid = ids.get(q.image());
            float[] qv = qid == null ? null : vectors.apply(qid);
            if (qv == null) {
                missing++;
                LOG.warn("evaluation: no vector for query {}; it is not scored", q.image());
                continue;
            }
            Set<Long> relevant = new HashSet<>();
            for (Path r : q.relevant()) {
                Long rid = ids.get(r);
                if (rid != null) {
                    relevant.add(rid);
                }
            }
            int totalRelevant = q.relevant().size();
            Set<Long> ignored = new HashSet<>();
            for (Path r : q.ignored()) {
                Long rid = ids.get(r);
                if (rid != null) {
                    ignored.add(rid);
                }
            }
            int want = (q.excludeSelf() ? depth + 1 : depth) + ignored.size();
            List<Long> ranked = new ArrayList<>(want);
            for (ScoredId s : searcher.search(qid, qv, want)) {
                if (q.excludeSelf() && s.id() == qid || ignored.contains(s.id())) {
                    continue;
                }
                if (ranked.size() < depth) {
                    ranked.add(s.id());
                }
            }
            if (measures.contains(GroundTruth.Measure.MAP)) {
                aps.add(Metrics.averagePrecision(ranked, relevant, totalRelevant));
            } else if (measures.contains(GroundTruth.Measure.MAP_AT_DEPTH)) {
                aps.add(Metrics.averagePrecisionAt(ranked, relevant, depth));
            }
            if (measures.contains(GroundTruth.Measure.P_AT_10)) {
                p10s.add(Metrics.precisionAt(ranked, relevant, 10));
            }
            if (measures.contains(GroundTruth.Measure.NS)) {
                ns.add(Metrics.nisterStewenius(ranked, relevant));
            }
        }
        int scored = truth.queries().size() - missing;
        if (scored == 0) {
            throw new OcularException("No query of the " + truth.protocol()
                    + " protocol could be evaluated: none of its images has a vector (see the skipped files).");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> extras = new LinkedHashMap<>();
        if (measures.contains(GroundTruth.Measure.MAP_AT_DEPTH)) {
            extras.put("map_at", depth);
        }
        if (missing > 0) {
            extras.put("missing_queries", missing);
        }
        extras.put("ms_per_query", seconds * 1000 / scored);
        return new EvalReport(truth.protocol(),
                aps.isEmpty() ? null : Metrics.mean(aps),
                p10s.isEmpty() ? null : Metrics.mean(p10s),
                ns.isEmpty() ? null : Metrics.mean(ns),
                scored, truth.images().size(), seconds, extras);
    }
}

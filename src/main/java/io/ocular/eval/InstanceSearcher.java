package io.ocular.eval;

import com.sun.management.OperatingSystemMXBean;
import io.ocular.model.ScoredId;
import io.ocular.search.DatabaseAugmentation;
import io.ocular.search.QueryExpansion;
import io.ocular.search.RotationMerge;
import io.ocular.search.TurnRefinement;
import io.ocular.search.local.LocalFeatures;
import io.ocular.search.local.LocalVerifier;
import io.ocular.search.local.ReciprocalNeighbours;
import io.ocular.search.local.VerificationResult;
import io.ocular.search.local.VerifiedCandidate;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.LongFunction;
import java.util.List;
import java.util.Map;

/**
 * The evaluation's search for one query: global search (optionally with the query turned by quarter turns,
 * {@link RotationMerge}), then optionally local verification of the global top {@code candidates}
 * ({@link LocalVerifier#rerank}, the same re-ranking the app uses), each candidate verified against the query
 * turned the way it matched globally. The query itself is never verified against itself: where the protocol
 * keeps it in the database it stays first, as a self-match would rank it. Keeps each query's verification for
 * the report (true-match loss, threshold calibration).
 */
public final class InstanceSearcher implements Evaluator.QuerySearcher {
    /**
     * Database-side augmentation as the app applies it to a library photo's search
     * ({@link DatabaseAugmentation#rescoreHead}).
     */
    public record Augmentation(int neighbours, float alpha, DatabaseAugmentation.NeighbourSearch search) {
    }

    private final Evaluator.Searcher global;
    private final Map<Long, float[][]> turnedQueries;
    private final float turnPenalty;
    private final LocalVerifier verifier;
    private final Map<Long, LocalFeatures[]> localViews;
    private final int candidates;
    private final QueryExpansion expansion;
    private final LongFunction<float[]> vectors;
    private final Augmentation dba;
    private long dbaNanos;
    private long dbaCpuNanos;
    private final Map<Long, VerificationResult> results = new HashMap<>();
    private final Map<Long, ReciprocalNeighbours> reciprocals = new HashMap<>();
    private final Map<Long, Integer> topTurns = new HashMap<>();
    private final Map<Long, List<Integer>> refined = new HashMap<>();
    private final Map<Long, long[]> globalOrder = new HashMap<>();
    private final Map<Long, float[]> globalScores = new HashMap<>();
    private long verifyNanos;
    private long verifyCpuNanos;
    private long reciprocalSearches;
    private long globalNanos;
    private int queries;

    /**
     * @param turnedQueries per query id its vectors turned 0..3 quarter turns, or null for no rotation handling
     * @param verifier      null for global search only
     * @param dba           database-side augmentation of the global scores (as the app does it for a library
     *                      photo: neighbours of the short list searched at query time), or null
     */
    public InstanceSearcher(Evaluator.Searcher global, Map<Long, float[][]> turnedQueries, float turnPenalty,
                            LocalVerifier verifier, Map<Long, LocalFeatures[]> localViews, int candidates,
                            QueryExpansion expansion, LongFunction<float[]> vectors, Augmentation dba) {
        this.dba = dba;
        this.expansion = expansion;
        this.vectors = vectors;
        this.global = global;
        this.turnedQueries = turnedQueries;
        this.turnPenalty = turnPenalty;
        this.verifier = verifier;
        this.localViews = localViews;
        this.candidates = candidates;
    }

    @Override
    public List<ScoredId> search(long queryId, float[] q, int want) {
        long t0 = System.nanoTime();
        int depth = Math.max(want, candidates) + 1;
        List<RotationMerge.Hit> hits;
        float[][] turned = turnedQueries == null ? null : turnedQueries.get(queryId);
        if (turned == null) {
            hits = new ArrayList<>();
            for (ScoredId s : global.search(q, depth)) {
                hits.add(new RotationMerge.Hit(s.id(), s.score(), 0));
            }
        } else {
            List<List<ScoredId>> perTurn = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                // as it is: the indexed vector itself (the turned copies come from a decode of their own)
                perTurn.add(global.search(t == 0 ? q : turned[t], depth));
            }
            if (turned.length == 7) { // small turned views, refined at full size where they beat the upright one
                List<List<ScoredId>> others = new ArrayList<>(4);
                for (List<ScoredId> l : perTurn) { // decided as the app does: the example's own photo left out
                    others.add(l.stream().filter(s -> s.id() != queryId).toList());
                }
                List<Integer> fire = TurnRefinement.turnsToRefine(others, turnPenalty);
                turned = Arrays.copyOf(turned, 4);
                for (int t : fire) {
                    turned[t] = turnedQueries.get(queryId)[3 + t];
                    perTurn.set(t, global.search(turned[t], depth));
                }
                refined.put(queryId, fire);
            }
            hits = RotationMerge.merge(perTurn, turnPenalty, depth);
        }
        globalNanos += System.nanoTime() - t0;
        queries++;
        boolean self = hits.removeIf(h -> h.id() == queryId);
        if (!hits.isEmpty()) {
            topTurns.put(queryId, hits.get(0).turns());
        }
        List<ScoredId> out = new ArrayList<>(hits.size() + 1);
        if (self) {
            out.add(new ScoredId(queryId, Float.MAX_VALUE));
        }
        Map<Long, Integer> turnOf = new HashMap<>();
        List<ScoredId> scored = new ArrayList<>(hits.size());
        for (RotationMerge.Hit h : hits) {
            scored.add(h.scored());
            turnOf.put(h.id(), h.turns());
        }
        if (dba != null) {
            float[][] views = turned == null ? new float[][]{q} : turned.clone();
            views[0] = q;
            long a0 = System.nanoTime();
            long c0 = processCpuNanos();
            scored = DatabaseAugmentation.rescoreHead(scored, DatabaseAugmentation.SHORT_LIST, vectors, dba.search(),
                    dba.neighbours(), dba.alpha(), DatabaseAugmentation.bestViewScore(views, turnPenalty, vectors));
            dbaNanos += System.nanoTime() - a0;
            dbaCpuNanos += processCpuNanos() - c0;
        }
        if (verifier == null) {
            out.addAll(expansion.expand(scored, vectors, null));
            return out;
        }
        LocalFeatures[] views = localViews.get(queryId);
        List<ScoredId> order = scored;
        long t1 = System.nanoTime();
        long c1 = processCpuNanos();
        // the app's reciprocal rank (ReciprocalNeighbours) over the eval's index; the query is a library photo
        ReciprocalNeighbours reciprocal = new ReciprocalNeighbours.Library(vectors, global::search)
                .forLibraryPhoto(queryId);
        LocalVerifier.Reranked r = verifier.rerank(order, candidates, i -> {
            if (views == null) {
                return null;
            }
            int t = turnOf.getOrDefault(order.get(i).id(), 0);
            return t < views.length ? views[t] : views[0];
        }, reciprocal);
        reciprocalSearches += reciprocal.searches();
        reciprocals.put(queryId, reciprocal);
        verifyNanos += System.nanoTime() - t1;
        verifyCpuNanos += processCpuNanos() - c1;
        results.put(queryId, r.verification());
        globalOrder.put(queryId, order.stream().mapToLong(ScoredId::id).toArray());
        float[] gs = new float[order.size()];
        for (int i = 0; i < gs.length; i++) {
            gs[i] = order.get(i).score();
        }
        globalScores.put(queryId, gs);
        if (!expansion.enabled()) {
            out.addAll(r.ranked());
            return out;
        }
        // expansion by the verified neighbours only; they stay on top, the rest is ordered by the expanded query
        Set<Long> verified = new LinkedHashSet<>();
        for (VerifiedCandidate c : r.verification().ranked()) {
            if (c.status() == VerifiedCandidate.Status.VERIFIED) {
                verified.add(c.id());
            }
        }
        for (ScoredId s : r.ranked()) {
            if (verified.contains(s.id())) {
                out.add(s);
            }
        }
        for (ScoredId s : expansion.expand(order, vectors, verified)) {
            if (!verified.contains(s.id())) {
                out.add(s);
            }
        }
        return out;
    }

    public Map<Long, VerificationResult> results() {
        return results;
    }

    /** Per verified query: the reciprocal ranks its verification used (their neighbour lists kept for the report). */
    public Map<Long, ReciprocalNeighbours> reciprocals() {
        return reciprocals;
    }

    /** Per verified query: the global order (query removed) whose head was verified. */
    public Map<Long, long[]> globalOrder() {
        return globalOrder;
    }

    /** Per verified query: the global scores, aligned with {@link #globalOrder()}. */
    public Map<Long, float[]> globalScores() {
        return globalScores;
    }

    /** Per query searched with small turned views: the turns embedded again at full size. */
    public Map<Long, List<Integer>> refined() {
        return refined;
    }

    public Map<Long, Integer> topTurns() {
        return topTurns;
    }

    /** Neighbour searches per query made for the reciprocal rank (candidates in the ambiguous band only). */
    public double reciprocalSearchesPerQuery() {
        return queries == 0 ? 0 : (double) reciprocalSearches / queries;
    }

    public double verifyMsPerQuery() {
        return queries == 0 ? 0 : verifyNanos / 1e6 / queries;
    }

    /**
     * CPU time the process spent per query while verifying (all threads; the eval does nothing else then):
     * what verification costs with the machine to itself, whatever the load of a shared box.
     */
    public double verifyCpuMsPerQuery() {
        return queries == 0 ? 0 : verifyCpuNanos / 1e6 / queries;
    }

    /** The process's CPU time in nanoseconds (-1 where the platform does not tell). */
    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** Wall and CPU ms per query of the augmentation (neighbour searches of the short list + re-scoring). */
    public double[] dbaMsPerQuery() {
        return queries == 0 ? new double[2] : new double[]{dbaNanos / 1e6 / queries, dbaCpuNanos / 1e6 / queries};
    }

    public double globalMsPerQuery() {
        return queries == 0 ? 0 : globalNanos / 1e6 / queries;
    }
}

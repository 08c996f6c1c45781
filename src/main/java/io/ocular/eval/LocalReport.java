package io.ocular.eval;

import io.ocular.model.ScoredId;
import io.ocular.search.local.LocalVerifier;
import io.ocular.search.local.MatchConfidence;
import io.ocular.search.local.ReciprocalNeighbours;
import io.ocular.search.local.VerificationResult;
import io.ocular.search.local.VerifiedCandidate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * What {@code eval --rerank local} reports beyond the protocol's measures: cost, size, and — for instance
 * protocols (holidays, ukbench) — a sweep of the inlier threshold computed from the stored verifications: for
 * each threshold T, the mAP the re-ranking would give if it promoted candidates with ≥ T inliers, the share of
 * non-matching verified pairs that reach T (false promotions), the true-match loss (queries with true matches
 * none of which reaches T: answered "no confident match") and the leave-group-out rejection (queries whose
 * best non-matching candidate stays under T: what a library without the query's group would answer).
 */
final class LocalReport {
    static final int[] SWEEP = {8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 35, 40, 50, 60};

    private LocalReport() {
    }

    static EvalReport add(EvalReport report, GroundTruth truth, Map<Path, Long> ids, InstanceSearcher searcher,
                          LocalRerankStage.Prepared local, int candidates) {
        report = report.with("rerank_candidates", candidates)
                .with("keypoints", local.model().selector().name())
                .with("verify_ms_per_query", searcher.verifyMsPerQuery())
                .with("verify_cpu_ms_per_query", searcher.verifyCpuMsPerQuery())
                .with("extra_bytes_per_image", local.blobs() == 0 ? 0 : local.bytes() / (double) local.blobs())
                .with("images_with_local_features", local.blobs())
                .with("local_features_s", local.seconds())
                .with("promote_inliers", local.verifier().config().promoteInliers())
                .with("promote_alone", local.verifier().config().promoteAlone())
                .with("promote_margin_weight", local.verifier().config().promotion().marginWeight())
                .with("promote_threshold", local.verifier().config().promotion().threshold())
                .with("promote_reciprocal", local.verifier().config().reciprocalWeight())
                .with("reciprocal_searches_per_query", searcher.reciprocalSearchesPerQuery())
                .with("confidence_margin_weight", local.verifier().config().confidence().marginWeight())
                .with("confidence_threshold", local.verifier().config().confidence().threshold())
                .with("threshold_inliers", local.verifier().config().confidentInliers());
        String dump = System.getProperty("ocular.eval.pairs"); // any protocol: held-out checks of a lab rule
        boolean measured = truth.protocol().equals("ukbench") || truth.protocol().equals("holidays");
        if (!measured && (dump == null || dump.isBlank())) {
            return report;
        }
        Map<Long, Set<Long>> relevantOf = new HashMap<>();
        for (GroundTruth.QuerySpec q : truth.queries()) {
            Long qid = ids.get(q.image());
            if (qid == null) {
                continue;
            }
            Set<Long> rel = new HashSet<>();
            for (Path r : q.relevant()) {
                Long rid = ids.get(r);
                if (rid != null && !rid.equals(qid)) {
                    rel.add(rid);
                }
            }
            relevantOf.put(qid, rel);
        }
        if (dump != null && !dump.isBlank()) {
            writePairs(Path.of(dump), searcher, relevantOf, truth, ids);
        }
        if (!measured) {
            return report;
        }
        LocalVerifier.Config conf = local.verifier().config();
        // the global order the verification started from (no candidate promoted)
        report = report.with("global_mAP", simulatedMap(searcher, relevantOf, truth, ids, Integer.MAX_VALUE));
        report = report.with("confidence_reciprocal", conf.confidenceReciprocal())
                .with("true_match_loss", confidenceLoss(searcher.results(), relevantOf, conf,
                        searcher.reciprocals()))
                .with("leave_group_out_rejection", confidenceRejection(searcher.results(), relevantOf, conf,
                        searcher.reciprocals()));
        if (!truth.protocol().equals("holidays")) {
            return report;
        }
        Map<String, Object> sweep = new LinkedHashMap<>();
        for (int t : SWEEP) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("mAP", simulatedMap(searcher, relevantOf, truth, ids, t));
            row.put("false_promotions", falsePromotions(searcher.results(), relevantOf, t));
            row.put("true_match_loss", loss(searcher.results(), relevantOf, t));
            row.put("leave_group_out_rejection", rejection(searcher.results(), relevantOf, t));
            sweep.put(Integer.toString(t), row);
        }
        return report.with("threshold_sweep", sweep);
    }

    /**
     * Research aid ({@code -Docular.eval.pairs=FILE}): one TSV row per query and result in global order — query,
     * rank, result, global score, inliers (-1 beyond the verified head), relevant, relevant total.
     */
    private static void writePairs(Path file, InstanceSearcher searcher, Map<Long, Set<Long>> relevantOf,
                                   GroundTruth truth, Map<Path, Long> ids) {
        StringBuilder sb = new StringBuilder("query\trank\tid\tglobal\tinliers\trelevant\ttotal\n");
        Map<Long, Integer> totals = new HashMap<>();
        for (GroundTruth.QuerySpec q : truth.queries()) {
            Long qid = ids.get(q.image());
            if (qid != null) {
                totals.put(qid, (int) q.relevant().stream().filter(p -> !p.equals(q.image())).count());
            }
        }
        for (var e : searcher.globalOrder().entrySet()) {
            long qid = e.getKey();
            Map<Long, VerifiedCandidate> byId = new HashMap<>();
            for (VerifiedCandidate c : searcher.results().get(qid).ranked()) {
                byId.put(c.id(), c);
            }
            long[] order = e.getValue();
            float[] scores = searcher.globalScores().get(qid);
            for (int i = 0; i < order.length; i++) {
                VerifiedCandidate c = byId.get(order[i]);
                sb.append(qid).append('\t').append(i).append('\t').append(order[i]).append('\t').append(scores[i])
                        .append('\t').append(c == null ? -1 : c.inliers()).append('\t')
                        .append(relevantOf.getOrDefault(qid, Set.of()).contains(order[i]) ? 1 : 0).append('\t')
                        .append(totals.getOrDefault(qid, 0)).append('\n');
            }
        }
        try {
            Files.writeString(file, sb);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Whether any of {@code checked} makes the answer a confident match ({@link LocalVerifier.Config#confidenceEvidence}):
     * the reciprocal rank, where the rule has the term, asked only for candidates over the threshold without it.
     */
    private static boolean anyConfident(List<VerifiedCandidate> checked, float reference, LocalVerifier.Config conf,
                                        ToIntFunction<VerifiedCandidate> rank) {
        MatchConfidence c = conf.confidence();
        for (VerifiedCandidate v : checked) {
            if (v.fallback() || !c.confident(c.evidence(v.inliers(), v.globalScore(), reference))) {
                continue;
            }
            if (!conf.needsRank(v.inliers()) || c.confident(conf.confidenceEvidence(v.inliers(), v.globalScore(),
                    reference, rank.applyAsInt(v)))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Queries with true matches none of which reaches the confidence threshold ({@link MatchConfidence}, with the
     * short list's reference score as the search saw it; reciprocal ranks, where the rule has them, as the search
     * saw them).
     */
    static double confidenceLoss(Map<Long, VerificationResult> results, Map<Long, Set<Long>> relevantOf,
                                 LocalVerifier.Config conf, Map<Long, ReciprocalNeighbours> reciprocals) {
        int with = 0;
        int lost = 0;
        for (var e : results.entrySet()) {
            Set<Long> rel = relevantOf.getOrDefault(e.getKey(), Set.of());
            if (rel.isEmpty()) {
                continue;
            }
            with++;
            List<VerifiedCandidate> matches = e.getValue().ranked().stream().filter(c -> rel.contains(c.id())).toList();
            ReciprocalNeighbours rn = reciprocals.get(e.getKey());
            lost += anyConfident(matches, e.getValue().reference(), conf,
                    c -> rn == null ? LocalVerifier.RECIPROCAL_DEPTH + 1 : rn.rank(c.id(), c.globalScore())) ? 0 : 1;
        }
        return with == 0 ? 0 : lost / (double) with;
    }

    /**
     * Queries answered "no confident match" when their own group is left out of the library: the short list
     * without the true matches (its reference score taken again from what is left, the group left out of the
     * candidates' neighbour lists too), best evidence under the threshold.
     */
    static double confidenceRejection(Map<Long, VerificationResult> results, Map<Long, Set<Long>> relevantOf,
                                      LocalVerifier.Config conf, Map<Long, ReciprocalNeighbours> reciprocals) {
        int n = 0;
        int rejected = 0;
        for (var e : results.entrySet()) {
            Set<Long> rel = relevantOf.getOrDefault(e.getKey(), Set.of());
            List<VerifiedCandidate> left = new ArrayList<>();
            for (VerifiedCandidate c : e.getValue().ranked()) {
                if (!rel.contains(c.id())) {
                    left.add(c);
                }
            }
            left.sort(Comparator.comparingDouble((VerifiedCandidate c) -> -c.globalScore()));
            float reference = conf.confidence().reference(left.stream()
                    .map(c -> new ScoredId(c.id(), c.globalScore())).toList());
            ReciprocalNeighbours rn = reciprocals.get(e.getKey());
            n++;
            rejected += anyConfident(left, reference, conf,
                    c -> rn == null ? LocalVerifier.RECIPROCAL_DEPTH + 1 : rn.rank(c.id(), c.globalScore(), rel)) ? 0 : 1;
        }
        return n == 0 ? 0 : rejected / (double) n;
    }

    /** Queries with true matches where no true match reaches {@code t} inliers. */
    static double loss(Map<Long, VerificationResult> results, Map<Long, Set<Long>> relevantOf, int t) {
        int with = 0;
        int lost = 0;
        for (var e : results.entrySet()) {
            Set<Long> rel = relevantOf.getOrDefault(e.getKey(), Set.of());
            if (rel.isEmpty()) {
                continue;
            }
            with++;
            int best = 0;
            for (VerifiedCandidate c : e.getValue().ranked()) {
                if (rel.contains(c.id())) {
                    best = Math.max(best, c.inliers());
                }
            }
            lost += best < t ? 1 : 0;
        }
        return with == 0 ? 0 : lost / (double) with;
    }

    /** Queries whose best non-matching verified candidate stays under {@code t}. */
    static double rejection(Map<Long, VerificationResult> results, Map<Long, Set<Long>> relevantOf, int t) {
        int n = 0;
        int rejected = 0;
        for (var e : results.entrySet()) {
            Set<Long> rel = relevantOf.getOrDefault(e.getKey(), Set.of());
            int best = 0;
            for (VerifiedCandidate c : e.getValue().ranked()) {
                if (!rel.contains(c.id())) {
                    best = Math.max(best, c.inliers());
                }
            }
            n++;
            rejected += best < t ? 1 : 0;
        }
        return n == 0 ? 0 : rejected / (double) n;
    }

    static double falsePromotions(Map<Long, VerificationResult> results, Map<Long, Set<Long>> relevantOf, int t) {
        long neg = 0;
        long promoted = 0;
        for (var e : results.entrySet()) {
            Set<Long> rel = relevantOf.getOrDefault(e.getKey(), Set.of());
            for (VerifiedCandidate c : e.getValue().ranked()) {
                if (!rel.contains(c.id()) && !c.fallback()) {
                    neg++;
                    promoted += c.inliers() >= t ? 1 : 0;
                }
            }
        }
        return neg == 0 ? 0 : promoted / (double) neg;
    }

    /** The mAP the re-ranking gives when it promotes candidates with ≥ {@code t} inliers. */
    static double simulatedMap(InstanceSearcher searcher, Map<Long, Set<Long>> relevantOf, GroundTruth truth,
                               Map<Path, Long> ids, int t) {
        List<Double> aps = new ArrayList<>();
        Map<Long, Integer> totals = new HashMap<>();
        for (GroundTruth.QuerySpec q : truth.queries()) {
            Long qid = ids.get(q.image());
            if (qid != null) {
                totals.put(qid, (int) q.relevant().stream().filter(p -> !p.equals(q.image())).count());
            }
        }
        for (var e : searcher.globalOrder().entrySet()) {
            long qid = e.getKey();
            VerificationResult r = searcher.results().get(qid);
            Map<Long, Integer> inl = new HashMap<>();
            for (VerifiedCandidate c : r.ranked()) {
                inl.put(c.id(), c.inliers());
            }
            long[] order = e.getValue();
            List<long[]> promoted = new ArrayList<>(); // {id, inliers, position}
            List<Long> ranked = new ArrayList<>(order.length);
            for (int i = 0; i < order.length; i++) {
                int n = inl.getOrDefault(order[i], 0);
                if (n >= t) {
                    promoted.add(new long[]{order[i], n, i});
                }
            }
            promoted.sort(Comparator.comparingLong((long[] a) -> -a[1]).thenComparingLong(a -> a[2]));
            Set<Long> moved = new HashSet<>();
            for (long[] p : promoted) {
                ranked.add(p[0]);
                moved.add(p[0]);
            }
            for (long id : order) {
                if (!moved.contains(id)) {
                    ranked.add(id);
                }
            }
            aps.add(Metrics.averagePrecision(ranked, relevantOf.get(qid), totals.getOrDefault(qid, 0)));
        }
        return Metrics.mean(aps);
    }
}

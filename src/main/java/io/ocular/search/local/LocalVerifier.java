package io.ocular.search.local;

import io.ocular.embed.DenseFeatureExtractor;
import io.ocular.model.ScoredId;
import io.ocular.search.ScanPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;

/**
 * Facade for instance-level verification with local features (DELF-style): index an image's compressed
 * keypoints, verify a query against first-pass candidates (mutual-NN matching + affine RANSAC, re-rank by
 * inliers), and explain one match. With a {@link ScanPool} the candidates' matching and geometry run on its
 * threads (blobs are still read on the calling thread, so the store need not be thread-safe for that).
 * Thread-safe if the store is.
 */
public final class LocalVerifier {
    private static final Logger LOG = LoggerFactory.getLogger(LocalVerifier.class);

    /**
     * @param promoteInliers inliers a candidate needs at least to be promoted above the global order (below: it
     *                       keeps its global rank)
     * @param promoteAlone   inliers that promote a candidate whatever its global score (the first rule, kept:
     *                       where the global vector fails, geometry alone must still be able to promote)
     * @param promotion      the evidence (inliers fused with the global margin) a candidate with enough inliers
     *                       needs to be promoted; promoted candidates are ordered by it
     * @param confidence     when the best candidate's evidence makes the answer a confident match
     * @param reciprocalWeight β: with a {@link ReciprocalRank}, a candidate's promotion evidence loses
     *                       β · ln(rank of the query among the candidate's own neighbours) (0: off; decision record
     *                       0115, Amendment 7)
     * @param confidenceReciprocal the same term in the "no confident match" evidence: each checked candidate with
     *                       fewer than {@code promoteAlone} inliers loses this × ln(rank) of its {@link #confidence()}
     *                       evidence (0: off; 0115, Amendment 8)
     */
    public record Config(int promoteInliers, int promoteAlone, MatchConfidence promotion, MatchConfidence confidence,
                         float minSimilarity, float ratio, AffineRansac.Config ransac, double reciprocalWeight,
                         double confidenceReciprocal) {
        public Config {
            if (!(reciprocalWeight >= 0) || !Double.isFinite(reciprocalWeight)
                    || !(confidenceReciprocal >= 0) || !Double.isFinite(confidenceReciprocal)) {
                throw new IllegalArgumentException("the reciprocal weight must be a finite number >= 0");
            }
        }

        /**
         * Promotion evidence without the reciprocal term, calibrated on holidays-dev (decision record 0070,
         * amendment 3): the best mAP among rules whose false promotions stay under 0.1 % of non-matching pairs
         * there (0.8950, global 0.8810). The app's rule until 0115's Amendment 8; {@link #withoutReciprocal()}.
         */
        public static final MatchConfidence PROMOTION = new MatchConfidence(10, 20, 3.9);

        /**
         * Promotion evidence with the reciprocal term ({@link #RECIPROCAL_WEIGHT}), chosen on holidays-dev (decision
         * record 0115, Amendments 7 and 8): {@code ln(1 + inliers) + 10 · (global − 21st global) − 0.5 · ln(rank)}
         * ≥ 2.7.
         */
        public static final MatchConfidence RECIPROCAL_PROMOTION = new MatchConfidence(10, 20, 2.7);

        /** β of the reciprocal term in the app's rule (decision record 0115, Amendments 7 and 8). */
        public static final double RECIPROCAL_WEIGHT = 0.5;

        /**
         * "No confident match" with the reciprocal term (the same β, {@link #RECIPROCAL_WEIGHT}): the best checked
         * candidate's {@code ln(1 + inliers) + 10 · (global − 21st global) − 0.5 · ln(rank)} under 3.2. Threshold
         * fixed on holidays-dev (90 % of its queries rejected when their group is left out); under 5-fold
         * cross-validation it loses 12 % of true matches at 90 % rejection against 16 % without the term (decision
         * record 0115, Amendment 8).
         */
        public static final MatchConfidence RECIPROCAL_CONFIDENCE = new MatchConfidence(10, 20, 3.2);

        /**
         * The app's rule (decision records 0070, 0115 Amendment 8): a candidate is promoted with 26 inliers, or with
         * at least 8 and evidence {@code ln(1 + inliers) + 10 · (global − 21st global) − 0.5 · ln(r)} of 2.7, r the
         * query's rank among the candidate's own nearest library photos ({@link ReciprocalRank}; unknown: as if
         * beyond {@link #RECIPROCAL_DEPTH}). On holidays-dev 0.917 against 0.895 for the rule without r and 0.881
         * global, with no loss on UKBench-56, Corel classes or the synthetic set; "no confident match" below 3.2
         * of the same evidence with r for its best candidate ({@link #RECIPROCAL_CONFIDENCE}).
         */
        public static Config defaults() {
            return new Config(8, 26, RECIPROCAL_PROMOTION, RECIPROCAL_CONFIDENCE, 0.5f, 1.0f,
                    AffineRansac.Config.defaults(), RECIPROCAL_WEIGHT, RECIPROCAL_WEIGHT);
        }

        /**
         * The rules before the reciprocal term (0115, Amendment 4): promotion evidence 3.9, confidence 3.6
         * ({@link MatchConfidence#defaults()}), no reciprocal rank.
         */
        public static Config withoutReciprocal() {
            return defaults().withThresholds(8, 26, PROMOTION, MatchConfidence.defaults()).withReciprocal(0)
                    .withConfidenceReciprocal(0);
        }

        /** The first rule (0070's first amendment): promoted with {@code n} inliers, ordered by inliers. */
        public static MatchConfidence inliersOnly() {
            return new MatchConfidence(0, 20, 0);
        }

        public Config withThresholds(int promote, int alone, MatchConfidence promotionRule,
                                     MatchConfidence confident) {
            return new Config(promote, alone, promotionRule, confident, minSimilarity, ratio, ransac,
                    reciprocalWeight, confidenceReciprocal);
        }

        public Config withMatching(float minSimilarity, float ratio, double ransacTolerance) {
            AffineRansac.Config r = new AffineRansac.Config(ransacTolerance, ransac.maxIterations(),
                    ransac.confidence(), ransac.maxScale(), ransac.maxAnisotropy(), ransac.seed());
            return new Config(promoteInliers, promoteAlone, promotion, confidence, minSimilarity, ratio, r,
                    reciprocalWeight, confidenceReciprocal);
        }

        /** With the reciprocal-rank term of weight {@code beta} (used where a {@link ReciprocalRank} is given). */
        public Config withReciprocal(double beta) {
            return new Config(promoteInliers, promoteAlone, promotion, confidence, minSimilarity, ratio, ransac, beta,
                    confidenceReciprocal);
        }

        /** With the reciprocal-rank term of weight {@code beta} in the "no confident match" evidence. */
        public Config withConfidenceReciprocal(double beta) {
            return new Config(promoteInliers, promoteAlone, promotion, confidence, minSimilarity, ratio, ransac,
                    reciprocalWeight, beta);
        }

        /**
         * A checked candidate's "no confident match" evidence: {@link #confidence()}'s, less
         * {@link #confidenceReciprocal()} × ln(reciprocal rank) when it has fewer than {@link #promoteAlone()}
         * inliers (as for promotion: that much geometry needs no other evidence).
         */
        public double confidenceEvidence(int inliers, float global, float reference, int reciprocalRank) {
            double e = confidence.evidence(inliers, global, reference);
            return !needsRank(inliers) ? e : e - confidenceReciprocal * Math.log(Math.max(1, reciprocalRank));
        }

        /** Whether a checked candidate's confidence evidence has the reciprocal term. */
        public boolean needsRank(int inliers) {
            return confidenceReciprocal > 0 && inliers < promoteAlone;
        }

        /** Inliers that make a match confident on their own (shown to the user as "needed"). */
        public int confidentInliers() {
            return confidence.inliersAlone();
        }
    }

    private final DenseFeatureExtractor extractor;
    private final LocalFeatureCompressor compressor;
    private final LocalFeatureStore store;
    private final Config config;
    private final DescriptorMatcher matcher;
    private final AffineRansac ransac;
    private final ScanPool pool;

    public LocalVerifier(DenseFeatureExtractor extractor, LocalFeatureCompressor compressor, LocalFeatureStore store,
                         Config config) {
        this(extractor, compressor, store, config, null);
    }

    /** @param pool threads the candidates are verified on, or null for the calling thread only */
    public LocalVerifier(DenseFeatureExtractor extractor, LocalFeatureCompressor compressor, LocalFeatureStore store,
                         Config config, ScanPool pool) {
        this.pool = pool;
        this.extractor = extractor;
        this.compressor = compressor;
        this.store = store;
        this.config = config;
        this.matcher = new DescriptorMatcher(config.minSimilarity(), config.ratio());
        this.ransac = new AffineRansac(config.ransac());
    }

    public Config config() {
        return config;
    }

    /** Local features of an image, selected and compressed (float precision; the stored copy is int8). */
    public LocalFeatures describe(BufferedImage image) {
        return compressor.compress(extractor.extract(image));
    }

    /** Extracts, compresses and stores the image's local features; returns the blob size in bytes. */
    public int index(long imageId, BufferedImage image) {
        return index(imageId, describe(image));
    }

    public int index(long imageId, LocalFeatures features) {
        byte[] blob = LocalFeatureCodec.encode(features, compressor.pca().id());
        store.put(imageId, blob);
        return blob.length;
    }

    public VerificationResult verify(BufferedImage query, List<ScoredId> candidates) {
        return verify(describe(query), candidates);
    }

    /** Re-ranks {@code candidates} (first-pass scores, best first) by verified inliers with {@code query}. */
    public VerificationResult verify(LocalFeatures query, List<ScoredId> candidates) {
        return verify(candidates, i -> query);
    }

    /**
     * Verifies each candidate against the query's features {@code queryFor(i)} (e.g. the query turned the way
     * the candidate matched it globally). Candidates with {@link Config#promoteAlone()} inliers, or with at least
     * {@link Config#promoteInliers()} and {@link Config#promotion()} evidence, are promoted above all others
     * (most evidence first, the margin counted only when positive, then global order); every other candidate
     * keeps its global order: geometry only ever moves up what it confirms.
     *
     * @param candidates first-pass results, best first
     */
    public VerificationResult verify(List<ScoredId> candidates, IntFunction<LocalFeatures> queryFor) {
        return verify(candidates, queryFor, null);
    }

    /**
     * Neighbours of a candidate the reciprocal rank is counted among: a query further down is ranked
     * {@code RECIPROCAL_DEPTH + 1}, as is a candidate whose rank is unknown (0115, Amendment 7: a cap of 64 changes
     * nothing on holidays-dev, Corel-100 or UKBench-56).
     */
    public static final int RECIPROCAL_DEPTH = 64;

    /**
     * Where a photo's nearest library photos can be searched: the rank of the query among a candidate's own
     * neighbours (1 = the query is the candidate's nearest photo, at most {@link #RECIPROCAL_DEPTH} + 1), from the
     * candidate's global score with the query. {@link ReciprocalNeighbours} is the one implementation (app and eval).
     */
    @FunctionalInterface
    public interface ReciprocalRank {
        int rank(long candidateId, float queryScore);
    }

    /**
     * {@link #verify(List, IntFunction)}; with {@link Config#reciprocalWeight()} β above 0 a candidate that is not
     * promoted by its inliers alone needs its evidence minus β · ln(reciprocal rank) to reach the promotion
     * threshold, and promoted candidates are ordered by that. The rank is asked only for candidates whose evidence
     * reaches the threshold before the term (the term can only lower it), so at most one neighbour search per
     * candidate in the ambiguous band. Without {@code reciprocal} every rank counts as unknown
     * ({@link #RECIPROCAL_DEPTH} + 1): a caller that cannot search the library promotes less, never more.
     */
    public VerificationResult verify(List<ScoredId> candidates, IntFunction<LocalFeatures> queryFor,
                                     ReciprocalRank reciprocal) {
        List<VerifiedCandidate> promoted = new ArrayList<>();
        List<VerifiedCandidate> rest = new ArrayList<>(candidates.size());
        int best = 0;
        double bestEvidence = Double.NEGATIVE_INFINITY;
        float reference = config.confidence().reference(candidates);
        float promotionReference = config.promotion().reference(candidates);
        int fallbacks = 0;
        boolean queryEmpty = true;
        int n = candidates.size();
        LocalFeatures[] queries = new LocalFeatures[n];
        LocalFeatures[] cands = new LocalFeatures[n];
        VerifiedCandidate.Status[] statuses = new VerifiedCandidate.Status[n];
        for (int i = 0; i < n; i++) {
            LocalFeatures query = queryFor.apply(i);
            if (query == null || query.count() == 0) {
                statuses[i] = VerifiedCandidate.Status.QUERY_HAS_NO_FEATURES;
                continue;
            }
            queryEmpty = false;
            Optional<LocalFeatures> cand = load(candidates.get(i).id());
            if (cand == null) {
                statuses[i] = VerifiedCandidate.Status.CORRUPT_LOCAL_FEATURES;
            } else if (cand.isEmpty() || cand.get().count() == 0) {
                statuses[i] = VerifiedCandidate.Status.NO_LOCAL_FEATURES;
            } else {
                queries[i] = query;
                cands[i] = cand.get();
            }
        }
        int[] inlierCounts = inliers(queries, cands);
        double[] evidence = new double[n];
        List<Integer> checked = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ScoredId c = candidates.get(i);
            VerifiedCandidate.Status status = statuses[i];
            int inliers = inlierCounts[i];
            double promotionEvidence = config.promotion().evidence(inliers, c.score(), promotionReference);
            if (status == null && config.reciprocalWeight() > 0 && inliers >= config.promoteInliers()
                    && inliers < config.promoteAlone() && config.promotion().confident(promotionEvidence)) {
                int rank = reciprocal == null ? RECIPROCAL_DEPTH + 1
                        : Math.min(RECIPROCAL_DEPTH + 1, Math.max(1, reciprocal.rank(c.id(), c.score())));
                promotionEvidence -= config.reciprocalWeight() * Math.log(rank);
            }
            if (status == null) {
                boolean promote = inliers >= config.promoteInliers() && (inliers >= config.promoteAlone()
                        || config.promotion().confident(promotionEvidence));
                status = promote ? VerifiedCandidate.Status.VERIFIED : VerifiedCandidate.Status.UNVERIFIED;
            }
            if (status != VerifiedCandidate.Status.VERIFIED && status != VerifiedCandidate.Status.UNVERIFIED) {
                fallbacks++;
            }
            best = Math.max(best, inliers);
            if (status == VerifiedCandidate.Status.VERIFIED || status == VerifiedCandidate.Status.UNVERIFIED) {
                checked.add(i);
                evidence[i] = config.confidence().evidence(inliers, c.score(), reference);
            }
            if (status == VerifiedCandidate.Status.VERIFIED) {
                // above every unpromoted score ((global + 1) / 2 <= 1), ordered by evidence
                double order = Math.max(promotionEvidence, Math.log1p(inliers)); // a low global score costs nothing
                promoted.add(new VerifiedCandidate(c.id(), c.score(), inliers, (float) (1 + order), status));
            } else {
                rest.add(new VerifiedCandidate(c.id(), c.score(), inliers, Math.min(1f, (c.score() + 1f) / 2f),
                        status));
            }
        }
        promoted.sort(Comparator.comparingDouble((VerifiedCandidate v) -> -v.score())
                .thenComparingDouble(v -> -v.globalScore()).thenComparingLong(VerifiedCandidate::id));
        List<VerifiedCandidate> out = new ArrayList<>(candidates.size());
        out.addAll(promoted);
        out.addAll(rest); // global order, as given
        bestEvidence = confidenceEvidence(candidates, checked, evidence, inlierCounts, reciprocal);
        boolean confident = config.confidence().confident(bestEvidence);
        String notice = null;
        if (!candidates.isEmpty() && !confident) {
            notice = queryEmpty
                    ? "The query image is too small or too plain for local features; results are by overall similarity only."
                    : "No confident match: no result shares enough verified details with the query (best: "
                    + best + " matching points; about " + config.confidentInliers()
                    + " are needed, fewer when the photo also stands out in overall similarity"
                    + (config.confidenceReciprocal() > 0 ? ", more when the example is not among its closest photos"
                    : "") + ").";
        } else if (fallbacks > 0) {
            notice = fallbacks + " of " + candidates.size()
                    + " results have no local features yet and are ranked by overall similarity only.";
        }
        return new VerificationResult(out, best, confident, notice, bestEvidence, reference);
    }

    /**
     * The best checked candidate's "no confident match" evidence ({@link Config#confidenceEvidence}). With the
     * reciprocal term the rank is asked only for candidates whose evidence reaches the threshold before it (the term
     * can only lower it), best first, until one still reaches it: the answer (confident or not) is exact; a
     * confident answer reports the first candidate found over the threshold, an unconfident one the best evidence
     * with the term where the rank was asked and without it elsewhere (all under the threshold).
     */
    private double confidenceEvidence(List<ScoredId> candidates, List<Integer> checked, double[] evidence,
                                      int[] inliers, ReciprocalRank reciprocal) {
        double bestEvidence = Double.NEGATIVE_INFINITY;
        for (int i : checked) {
            bestEvidence = Math.max(bestEvidence, evidence[i]);
        }
        if (config.confidenceReciprocal() == 0 || !config.confidence().confident(bestEvidence)) {
            return bestEvidence;
        }
        List<Integer> order = new ArrayList<>(checked);
        order.sort(Comparator.comparingDouble(i -> -evidence[i]));
        double below = Double.NEGATIVE_INFINITY;
        for (int i : order) {
            if (!config.confidence().confident(evidence[i])) {
                below = Math.max(below, evidence[i]);
                continue;
            }
            ScoredId c = candidates.get(i);
            double e = evidence[i];
            if (config.needsRank(inliers[i])) {
                int rank = reciprocal == null ? RECIPROCAL_DEPTH + 1
                        : Math.min(RECIPROCAL_DEPTH + 1, Math.max(1, reciprocal.rank(c.id(), c.score())));
                e -= config.confidenceReciprocal() * Math.log(rank);
            }
            if (config.confidence().confident(e)) {
                return e;
            }
            below = Math.max(below, e);
        }
        return below;
    }

    /** Inliers of each pair {@code (queries[i], cands[i])}, 0 where either is null; on the pool if there is one. */
    private int[] inliers(LocalFeatures[] queries, LocalFeatures[] cands) {
        int n = queries.length;
        int[] out = new int[n];
        int p = pool == null ? 1 : Math.min(pool.parallelism(), n);
        if (p <= 1) {
            for (int i = 0; i < n; i++) {
                out[i] = cands[i] == null ? 0 : geometricMatch(queries[i], cands[i]).inlierCount();
            }
            return out;
        }
        List<Callable<Void>> tasks = new ArrayList<>(p);
        for (int t = 0; t < p; t++) {
            int first = t;
            tasks.add(() -> { // interleaved, so pairs of similar cost (global rank) spread over the threads
                for (int i = first; i < n; i += p) {
                    out[i] = cands[i] == null ? 0 : geometricMatch(queries[i], cands[i]).inlierCount();
                }
                return null;
            });
        }
        pool.invokeAll(tasks);
        return out;
    }

    /**
     * The one re-ranking of a global result list: its first {@code head} results are verified
     * ({@link #verify(List, IntFunction)}), the rest follow in global order with scores kept below every
     * verified one.
     */
    public Reranked rerank(List<ScoredId> global, int head, IntFunction<LocalFeatures> queryFor) {
        return rerank(global, head, queryFor, null);
    }

    /** {@link #rerank(List, int, IntFunction)} with the reciprocal-rank term ({@link #verify(List, IntFunction,
     * ReciprocalRank)}). */
    public Reranked rerank(List<ScoredId> global, int head, IntFunction<LocalFeatures> queryFor,
                           ReciprocalRank reciprocal) {
        int h = Math.min(head, global.size());
        VerificationResult r = verify(global.subList(0, h), queryFor, reciprocal);
        List<ScoredId> out = new ArrayList<>(global.size());
        float floor = Float.MAX_VALUE;
        for (VerifiedCandidate c : r.ranked()) {
            out.add(new ScoredId(c.id(), c.score()));
            floor = Math.min(floor, c.score());
        }
        for (ScoredId s : global.subList(h, global.size())) {
            out.add(new ScoredId(s.id(), Math.min(floor, (s.score() + 1f) / 2f)));
        }
        return new Reranked(out, r);
    }

    /** A re-ranked result list and how its head was verified. */
    public record Reranked(List<ScoredId> ranked, VerificationResult verification) {
    }

    /** Correspondences of the query with one indexed image (for the explain view), if it has local features. */
    public Optional<GeometricMatch> explain(LocalFeatures query, long candidateId) {
        Optional<LocalFeatures> cand = load(candidateId);
        if (cand == null || cand.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(geometricMatch(query, cand.get()));
    }

    /** Matching + RANSAC between two feature sets. Coordinates are normalised by each image's longer side. */
    public GeometricMatch geometricMatch(LocalFeatures q, LocalFeatures c) {
        DescriptorMatcher.Matches m = matcher.match(q, c);
        int n = m.count();
        if (n == 0) {
            return GeometricMatch.none();
        }
        float qs = Math.max(q.width(), q.height());
        float cs = Math.max(c.width(), c.height());
        float[] qx = new float[n];
        float[] qy = new float[n];
        float[] cx = new float[n];
        float[] cy = new float[n];
        float[] nqx = new float[n];
        float[] nqy = new float[n];
        float[] ncx = new float[n];
        float[] ncy = new float[n];
        for (int i = 0; i < n; i++) {
            qx[i] = q.x()[m.query()[i]];
            qy[i] = q.y()[m.query()[i]];
            cx[i] = c.x()[m.candidate()[i]];
            cy[i] = c.y()[m.candidate()[i]];
            nqx[i] = qx[i] / qs;
            nqy[i] = qy[i] / qs;
            ncx[i] = cx[i] / cs;
            ncy[i] = cy[i] / cs;
        }
        AffineRansac.Result r = ransac.estimate(ncx, ncy, nqx, nqy);
        return new GeometricMatch(qx, qy, cx, cy, r.inliers(), r.inlierCount(), r.affine());
    }

    /** The candidate's features; empty if none stored; null if the blob is corrupt or stale. */
    private Optional<LocalFeatures> load(long id) {
        Optional<byte[]> blob = store.get(id);
        if (blob.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalFeatureCodec.decode(blob.get(), compressor.pca().id()));
        } catch (LocalFeatureCodec.CorruptBlobException e) {
            LOG.warn("Ignoring local features of image {}: {}", id, e.getMessage());
            return null;
        }
    }
}

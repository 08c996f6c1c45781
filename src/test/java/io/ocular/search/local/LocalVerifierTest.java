package io.ocular.search.local;

import io.ocular.embed.DenseFeatureExtractor;
import io.ocular.model.DenseLocalFeatures;
import io.ocular.model.ScoredId;
import io.ocular.search.ScanPool;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalVerifierTest {

    /** Test fake: never called by these tests (they pass features directly). */
    private static final DenseFeatureExtractor NO_EXTRACTOR = new DenseFeatureExtractor() {
        @Override
        public int dimension() {
            return 96;
        }

        @Override
        public DenseLocalFeatures extract(BufferedImage image) {
            throw new AssertionError("not expected");
        }

        @Override
        public void close() {
        }
    };

    private static Pca pca() {
        Random r = new Random(2);
        float[] data = new float[400 * 96];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) r.nextGaussian();
        }
        return Pca.fit(data, 400, 96, 40);
    }

    private final InMemoryLocalFeatureStore store = new InMemoryLocalFeatureStore();
    private final LocalVerifier verifier = new LocalVerifier(NO_EXTRACTOR,
            new LocalFeatureCompressor(new NormKeypointSelector(), pca(), 500), store, LocalVerifier.Config.defaults());

    @Test
    void verifiedCandidateJumpsAheadAndUnverifiableOnesFallBackToGlobalScore() {
        LocalFeatures query = Fixtures.random(300, 40, 400, 300, 1);
        verifier.index(1, Fixtures.random(300, 40, 400, 300, 50));          // unrelated
        verifier.index(2, Fixtures.transformed(query, 60, 240, 3));        // same object, moved
        // 3: nothing stored (indexed before local features existed)
        store.put(4, new byte[]{'O', 'L', 'F', 1, 0, 0, 0, 0, 0, 0, 0});   // corrupt blob
        List<ScoredId> first = List.of(new ScoredId(1, 0.9f), new ScoredId(3, 0.8f), new ScoredId(4, 0.7f),
                new ScoredId(2, 0.5f));
        VerificationResult r = verifier.verify(query, first);
        assertThat(r.ranked()).extracting(VerifiedCandidate::id).containsExactly(2L, 1L, 3L, 4L);
        assertThat(r.ranked().get(0).status()).isEqualTo(VerifiedCandidate.Status.VERIFIED);
        assertThat(r.ranked().get(0).inliers()).isGreaterThanOrEqualTo(55);
        assertThat(r.ranked().get(1).status()).as("inliers %d", r.ranked().get(1).inliers())
                .isEqualTo(VerifiedCandidate.Status.UNVERIFIED);
        assertThat(r.ranked().get(2).status()).isEqualTo(VerifiedCandidate.Status.NO_LOCAL_FEATURES);
        assertThat(r.ranked().get(3).status()).isEqualTo(VerifiedCandidate.Status.CORRUPT_LOCAL_FEATURES);
        assertThat(r.ranked().get(3).fallback()).isTrue();
        assertThat(r.confidentMatch()).isTrue();
        assertThat(r.notice()).contains("2 of 4");

        // the whole list: the verified head re-ranked, the tail in global order below it
        List<ScoredId> all = new ArrayList<>(first);
        all.add(new ScoredId(9, 0.4f));
        LocalVerifier.Reranked rr = verifier.rerank(all, 4, i -> query);
        assertThat(rr.ranked()).extracting(ScoredId::id).containsExactly(2L, 1L, 3L, 4L, 9L);
        assertThat(rr.ranked().get(4).score()).isLessThanOrEqualTo(rr.ranked().get(3).score());
        assertThat(rr.verification().bestInliers()).isEqualTo(r.bestInliers());
    }

    @Test
    void unrelatedQueryGivesNoConfidentMatch() {
        verifier.index(1, Fixtures.random(300, 40, 400, 300, 50));
        verifier.index(2, Fixtures.random(300, 40, 400, 300, 51));
        VerificationResult r = verifier.verify(Fixtures.random(300, 40, 400, 300, 52),
                List.of(new ScoredId(1, 0.9f), new ScoredId(2, 0.8f)));
        assertThat(r.confidentMatch()).as("best %d", r.bestInliers()).isFalse();
        assertThat(r.notice()).startsWith("No confident match");
        assertThat(r.ranked()).extracting(VerifiedCandidate::id).containsExactly(1L, 2L); // global order kept
    }

    @Test
    void queryWithoutFeaturesFallsBackForEveryCandidate() {
        verifier.index(1, Fixtures.random(300, 40, 400, 300, 50));
        VerificationResult r = verifier.verify(LocalFeatures.empty(20, 20, 40),
                List.of(new ScoredId(2, 0.95f), new ScoredId(1, 0.9f)));
        assertThat(r.ranked()).extracting(VerifiedCandidate::id).containsExactly(2L, 1L); // the global order
        assertThat(r.ranked()).allMatch(c -> c.status() == VerifiedCandidate.Status.QUERY_HAS_NO_FEATURES);
        assertThat(r.confidentMatch()).isFalse();
        assertThat(r.notice()).contains("too small or too plain");
    }

    @Test
    void explainGivesInlierCorrespondencesInPixels() {
        LocalFeatures query = Fixtures.random(200, 40, 400, 300, 1);
        verifier.index(7, Fixtures.transformed(query, 40, 100, 3));
        GeometricMatch m = verifier.explain(query, 7).orElseThrow();
        assertThat(m.inlierCount()).isGreaterThanOrEqualTo(38);
        assertThat(verifier.explain(query, 8)).isEmpty();
        BufferedImage a = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
        BufferedImage png = new LocalMatchRenderer(240, true).render(a, a, m);
        assertThat(png.getWidth()).isEqualTo(320 + 8 + 320);
        assertThat(png.getHeight()).isEqualTo(264);
        // some inlier line pixels are green
        boolean green = false;
        for (int y = 0; y < 240 && !green; y++) {
            for (int x = 0; x < png.getWidth() && !green; x++) {
                int p = png.getRGB(x, y);
                green = ((p >> 8) & 0xFF) > 150 && ((p >> 16) & 0xFF) < 120;
            }
        }
        assertThat(green).isTrue();
    }

    @Test
    void verifyingOnAPoolGivesTheSameResultAsOneThread() {
        LocalFeatures query = Fixtures.random(300, 40, 400, 300, 1);
        List<ScoredId> candidates = new ArrayList<>();
        for (int i = 0; i < 13; i++) { // matches, non-matches, a missing and a corrupt blob, not a multiple of 2 or 3
            if (i % 4 == 0) {
                verifier.index(i, Fixtures.transformed(query, 40 + 10 * i, 200, i));
            } else if (i == 5) {
                store.put(i, new byte[]{'O', 'L', 'F', 1, 0, 0, 0, 0, 0, 0, 0});
            } else if (i != 7) {
                verifier.index(i, Fixtures.random(300, 40, 400, 300, 100 + i));
            }
            candidates.add(new ScoredId(i, 0.9f - 0.01f * i));
        }
        VerificationResult one = verifier.verify(query, candidates);
        for (int threads : new int[]{2, 3, 16}) {
            try (ScanPool pool = new ScanPool(threads)) {
                LocalVerifier parallel = new LocalVerifier(NO_EXTRACTOR, new LocalFeatureCompressor(
                        new NormKeypointSelector(), pca(), 500), store, LocalVerifier.Config.defaults(), pool);
                VerificationResult many = parallel.verify(query, candidates);
                assertThat(many).as("%d threads", threads).isEqualTo(one);
            }
        }
        assertThat(one.ranked().get(0).status()).isEqualTo(VerifiedCandidate.Status.VERIFIED);
        assertThat(one.ranked()).extracting(VerifiedCandidate::status)
                .contains(VerifiedCandidate.Status.NO_LOCAL_FEATURES, VerifiedCandidate.Status.CORRUPT_LOCAL_FEATURES);
    }

    @Test
    void promotionNeedsInliersThatStandOutOfTheShortListNotJustInliers() {
        LocalFeatures query = Fixtures.random(300, 40, 400, 300, 1);
        List<ScoredId> candidates = new ArrayList<>();
        for (int i = 0; i < 30; i++) { // 30 candidates, so the 21st gives the reference score 0.70
            if (i != 3 && i != 25) {
                verifier.index(i, Fixtures.random(300, 40, 400, 300, 200 + i));
            }
            candidates.add(new ScoredId(i, 0.9f - 0.01f * i));
        }
        // 3: 16 matching points and well above the reference (0.87): ln(17) + 10 * 0.17 = 4.5 -> promoted
        verifier.index(3, Fixtures.transformed(query, 16, 240, 3));
        // 25: 16 matching points but below the reference (0.65): ln(17) - 10 * 0.05 = 2.3 < 2.7 -> keeps its rank
        verifier.index(25, Fixtures.transformed(query, 16, 240, 4));
        // the query is every candidate's nearest photo (reciprocal rank 1): the margin alone decides
        VerificationResult r = verifier.verify(candidates, i -> query, (id, score) -> 1);
        assertThat(r.ranked().get(0).id()).isEqualTo(3L);
        assertThat(r.ranked().get(0).status()).isEqualTo(VerifiedCandidate.Status.VERIFIED);
        VerifiedCandidate low = r.ranked().stream().filter(c -> c.id() == 25).findFirst().orElseThrow();
        assertThat(low.inliers()).isGreaterThanOrEqualTo(LocalVerifier.Config.defaults().promoteInliers());
        assertThat(low.status()).isEqualTo(VerifiedCandidate.Status.UNVERIFIED);
        assertThat(r.ranked()).extracting(VerifiedCandidate::id).element(25).isEqualTo(25L); // global rank kept

        // the inliers-only rule at 8 would promote both
        LocalVerifier plain = new LocalVerifier(NO_EXTRACTOR, new LocalFeatureCompressor(new NormKeypointSelector(),
                pca(), 500), store, LocalVerifier.Config.defaults().withThresholds(8, 8,
                LocalVerifier.Config.inliersOnly(), MatchConfidence.defaults()));
        assertThat(plain.verify(query, candidates).ranked()).extracting(VerifiedCandidate::id).startsWith(3L, 25L);

        // with many matching points (here ~60, ln 61 = 4.1 < 3's 4.5) a candidate is promoted however low its
        // global score (0.62, below the reference)
        verifier.index(28, Fixtures.transformed(query, 60, 240, 5));
        VerificationResult strong = verifier.verify(candidates, i -> query, (id, score) -> 1);
        assertThat(strong.ranked()).extracting(VerifiedCandidate::id).startsWith(3L, 28L);
        assertThat(strong.ranked().get(1).status()).isEqualTo(VerifiedCandidate.Status.VERIFIED);
    }

    /** 0115, Amendments 7 and 8: a candidate the query is far down the neighbours of needs more than its inliers. */
    @Test
    void theReciprocalRankTermHoldsBackCandidatesWhoseOwnNeighboursAreElsewhere() {
        LocalFeatures query = Fixtures.random(300, 40, 400, 300, 1);
        List<ScoredId> candidates = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            if (i != 3 && i != 28) {
                verifier.index(i, Fixtures.random(300, 40, 400, 300, 200 + i));
            }
            candidates.add(new ScoredId(i, 0.9f - 0.01f * i));
        }
        verifier.index(3, Fixtures.transformed(query, 16, 240, 3)); // evidence ~4.5 with the margin
        verifier.index(28, Fixtures.transformed(query, 60, 240, 5)); // promoted by its inliers alone
        LocalVerifier reciprocal = new LocalVerifier(NO_EXTRACTOR, new LocalFeatureCompressor(
                new NormKeypointSelector(), pca(), 500), store, LocalVerifier.Config.defaults().withReciprocal(1.0));
        // the query is candidate 3's nearest photo: promoted, and only 3 (in the band of 8-25 inliers with enough
        // evidence before the term) is asked for its rank
        List<Long> asked = new ArrayList<>();
        VerificationResult near = reciprocal.verify(candidates, i -> query, (id, score) -> {
            asked.add(id);
            return 1;
        });
        assertThat(near.ranked()).extracting(VerifiedCandidate::id).startsWith(3L, 28L);
        assertThat(asked).containsOnly(3L); // for promotion, and for confidence (ReciprocalNeighbours remembers it)
        // the query is 3's 100th neighbour (counted as 65, the depth searched): ln(17) + 1.7 - ln(65) = 0.3 < 2.7
        VerificationResult far = reciprocal.verify(candidates, i -> query, (id, score) -> 100);
        assertThat(far.ranked().get(0).id()).isEqualTo(28L);
        assertThat(far.ranked().stream().filter(c -> c.id() == 3).findFirst().orElseThrow().status())
                .isEqualTo(VerifiedCandidate.Status.UNVERIFIED);
        // without a reciprocal rank it is unknown, as far as can be: the same as the 65th
        assertThat(reciprocal.verify(candidates, i -> query).ranked()).isEqualTo(far.ranked());
        // the app's default (β 0.5, threshold 2.7): rank 4 keeps 3 promoted (4.5 - 0.69 = 3.8, now after 28's
        // ln 61 = 4.1), rank 65 does not (2.41)
        assertThat(verifier.verify(candidates, i -> query, (id, score) -> 4).ranked())
                .extracting(VerifiedCandidate::id).startsWith(28L, 3L);
        assertThat(verifier.verify(candidates, i -> query, (id, score) -> 65).ranked())
                .extracting(VerifiedCandidate::id).startsWith(28L, 0L);
        // the rule before the term (weight 0, threshold 3.9) ignores the rank
        LocalVerifier previous = new LocalVerifier(NO_EXTRACTOR, new LocalFeatureCompressor(
                new NormKeypointSelector(), pca(), 500), store, LocalVerifier.Config.withoutReciprocal());
        assertThat(previous.verify(candidates, i -> query, (id, score) -> 100).ranked())
                .extracting(VerifiedCandidate::id).startsWith(3L, 28L);
        assertThatThrownBy(() -> LocalVerifier.Config.defaults().withReciprocal(-1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** 0115, Amendment 8: the "no confident match" evidence with the reciprocal term. */
    @Test
    void aConfidentMatchNeedsTheQueryAmongTheBestCandidatesOwnNeighboursWhenTheConfidenceHasTheTerm() {
        LocalFeatures query = Fixtures.random(300, 40, 400, 300, 1);
        List<ScoredId> candidates = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            if (i != 3) {
                verifier.index(i, Fixtures.random(300, 40, 400, 300, 200 + i));
            }
            candidates.add(new ScoredId(i, 0.9f - 0.01f * i));
        }
        // 3: ~16 matching points, 0.17 over the reference: evidence ln(17) + 1.7 = 4.5 before the term
        verifier.index(3, Fixtures.transformed(query, 16, 240, 3));
        LocalVerifier.Config withTerm = LocalVerifier.Config.defaults().withConfidenceReciprocal(1.0)
                .withThresholds(8, 26, LocalVerifier.Config.RECIPROCAL_PROMOTION, new MatchConfidence(10, 20, 3.2));
        LocalVerifier v = new LocalVerifier(NO_EXTRACTOR, new LocalFeatureCompressor(new NormKeypointSelector(), pca(),
                500), store, withTerm);
        List<Long> asked = new ArrayList<>();
        // the query is 3's nearest photo: confident, and only 3 (the one candidate over 3.2 without the term) is
        // asked for its rank (once: promotion and confidence share it)
        VerificationResult near = v.verify(candidates, i -> query, (id, score) -> {
            asked.add(id);
            return 1;
        });
        assertThat(near.confidentMatch()).isTrue();
        assertThat(near.evidence()).isGreaterThan(4.0);
        assertThat(asked).containsOnly(3L);
        // its 20th neighbour: 4.5 - ln(20) = 1.5 < 3.2, no confident match (while still promoted by the promotion
        // rule's own, smaller weight: 4.5 - 0.5 ln 20 = 3.0 >= 2.7)
        VerificationResult far = v.verify(candidates, i -> query, (id, score) -> 20);
        assertThat(far.confidentMatch()).isFalse();
        assertThat(far.notice()).startsWith("No confident match");
        assertThat(far.ranked().get(0).id()).isEqualTo(3L);
        assertThat(far.evidence()).isLessThan(3.2);
        // the app's default (β 0.5, threshold 3.2): 4.5 - 0.5 ln 20 = 3.0, not confident; rank 1 is
        assertThat(verifier.verify(candidates, i -> query, (id, score) -> 20).confidentMatch()).isFalse();
        assertThat(verifier.verify(candidates, i -> query, (id, score) -> 1).confidentMatch()).isTrue();
        // the rule before the term (weight 0, threshold 3.6) is confident whatever the rank
        LocalVerifier previous = new LocalVerifier(NO_EXTRACTOR, new LocalFeatureCompressor(
                new NormKeypointSelector(), pca(), 500), store, LocalVerifier.Config.withoutReciprocal());
        assertThat(previous.verify(candidates, i -> query, (id, score) -> 20).confidentMatch()).isTrue();
        // a candidate with 26 or more matching points needs no rank: ~60 points, low in the list, 65th neighbour
        verifier.index(28, Fixtures.transformed(query, 60, 240, 5));
        assertThat(v.verify(candidates, i -> query, (id, score) -> 65).confidentMatch()).isTrue();
        assertThatThrownBy(() -> LocalVerifier.Config.defaults().withConfidenceReciprocal(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

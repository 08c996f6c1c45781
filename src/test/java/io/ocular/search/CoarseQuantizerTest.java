package io.ocular.search;

import io.ocular.store.EmbeddingMatrix;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The two-level coarse quantiser of many lists (0350): its list shares, training and grouped assignment. */
class CoarseQuantizerTest {

    @Test
    void listSharesFollowTheRowsAndSumToTheTotal() {
        int[] counts = {500, 300, 150, 49, 1, 0};
        int[] shares = CoarseQuantizer.shares(counts, 1000, 100);
        assertThat(Arrays.stream(shares).sum()).isEqualTo(100);
        assertThat(shares).containsExactly(50, 30, 15, 4, 1, 0); // every group with rows gets a list, empty none
        // more lists than a small group has rows: capped at its rows, the rest goes elsewhere
        int[] capped = CoarseQuantizer.shares(new int[]{3, 97}, 100, 50);
        assertThat(capped[0]).isLessThanOrEqualTo(3);
        assertThat(Arrays.stream(capped).sum()).isEqualTo(50);
        // rounding up every tiny group must not overshoot the total
        int[] many = new int[40];
        Arrays.fill(many, 1);
        many[0] = 961;
        assertThat(Arrays.stream(CoarseQuantizer.shares(many, 1000, 60)).sum()).isEqualTo(60);
    }

    @Test
    void groupedAssignmentOverEveryGroupFindsTheNearestCentroid() {
        CoarseQuantizer coarse = trained(1024, 12_000);
        EmbeddingMatrix probes = SyntheticVectors.clustered(500, 24, 300, 0.8, 99);
        int groups = CoarseQuantizer.groupCount(1024);
        for (int i = 0; i < probes.rows(); i++) {
            float[] x = probes.row(i);
            double best = coarse.distance2(x, coarse.assignReference(x));
            assertThat(coarse.distance2(x, coarse.assign(x, groups))).isCloseTo(best, within(1e-5));
        }
    }

    @Test
    void groupedAssignmentAlmostAlwaysAgreesWithTheFlatScan() {
        CoarseQuantizer coarse = trained(1024, 12_000);
        EmbeddingMatrix probes = SyntheticVectors.clustered(2_000, 24, 300, 0.8, 99);
        int same = 0;
        double excess = 0;
        for (int i = 0; i < probes.rows(); i++) {
            float[] x = probes.row(i);
            int exact = coarse.assignReference(x);
            int grouped = coarse.assign(x);
            if (grouped == exact) {
                same++;
            }
            excess += coarse.distance2(x, grouped) - coarse.distance2(x, exact);
            assertThat(grouped).isBetween(0, 1023);
        }
        assertThat(same).isGreaterThan(probes.rows() * 9 / 10);
        assertThat(excess / probes.rows()).isLessThan(0.01); // the misses are lists about as near
    }

    @Test
    void manyListsAreTrainedInTwoLevelsAndStayBalancedOnSkewedClusters() {
        EmbeddingMatrix data = SyntheticVectors.clustered(40_000, 24, 2_000, 0.8, 7);
        try (ScanPool pool = new ScanPool(2)) {
            CoarseQuantizer coarse = CoarseQuantizer.train(data.data(), 8_192, 24, 1024, 8, 3, pool);
            assertThat(coarse.nlist()).isEqualTo(1024);
            int[] sizes = new int[1024];
            for (int i = 0; i < data.rows(); i++) {
                sizes[coarse.assign(data.row(i))]++;
            }
            int max = Arrays.stream(sizes).max().orElseThrow();
            assertThat(max).isLessThan(20 * data.rows() / 1024); // no hub list holding a large share
        }
    }

    @Test
    void probeOnThePoolAndOnOneThreadFindsTheListsThePlainScanFinds() {
        CoarseQuantizer coarse = trained(1024, 12_000);
        EmbeddingMatrix queries = SyntheticVectors.clustered(300, 24, 300, 0.8, 5);
        try (ScanPool pool = new ScanPool(2)) {
            for (int nprobe : new int[]{1, 16, 100, 1024, 2000}) {
                int p = Math.min(nprobe, 1024);
                for (int i = 0; i < queries.rows(); i++) {
                    float[] q = queries.row(i);
                    int[] ref = new int[p];
                    float[] refIp = new float[p];
                    assertThat(coarse.probeReference(q, nprobe, ref, refIp)).isEqualTo(p);
                    for (ScanPool on : new ScanPool[]{null, pool}) {
                        int[] got = new int[p];
                        float[] ip = new float[p];
                        assertThat(coarse.probe(q, nprobe, got, ip, on)).isEqualTo(p);
                        // the blocked dot products round differently: the same lists, up to swaps of near-equal ones
                        for (int j = 0; j < p; j++) {
                            assertThat(coarse.distance2(q, got[j])).isCloseTo(coarse.distance2(q, ref[j]), within(1e-4));
                            assertThat(ip[j]).isCloseTo(VectorMath.dotReference(q, 0, coarse.centroids(), got[j] * 24,
                                    24), within(1e-4f));
                        }
                    }
                }
            }
        }
    }

    private static CoarseQuantizer trained(int nlist, int rows) {
        EmbeddingMatrix data = SyntheticVectors.clustered(rows, 24, 300, 0.8, 11);
        try (ScanPool pool = new ScanPool(2)) {
            return CoarseQuantizer.train(data.data(), rows, 24, nlist, 6, 1, pool);
        }
    }
}

package io.ocular.search.train;

import io.ocular.search.ProductQuantizer;
import io.ocular.search.SpqModel;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class SpqSelfCheckTest {

    @Test
    void identicalViewsFindThemselvesFirstAndNoisyOnesDoWorse() {
        int[] labels = new int[300];
        float[][][] views = SpqTrainerTest.clustered(6, 50, 32, 2, 4, labels);
        float[][][] same = new float[views.length][][];
        for (int i = 0; i < views.length; i++) {
            same[i] = new float[][]{views[i][0], views[i][0]};
        }
        float[] data = new float[views.length * 32];
        for (int i = 0; i < views.length; i++) {
            System.arraycopy(views[i][0], 0, data, i * 32, 32);
        }
        ProductQuantizer pq = ProductQuantizer.train(data, views.length, 32, 4, 10, 1, null);
        double exact = SpqSelfCheck.meanReciprocalRank(pq, TrainingSet.withoutCycles(same));
        assertThat(exact).isGreaterThan(0.95).isLessThanOrEqualTo(1.0);
        Random rnd = new Random(8);
        float[][][] noisy = new float[views.length][][];
        for (int i = 0; i < views.length; i++) {
            float[] v = views[i][0].clone();
            for (int d = 0; d < v.length; d++) {
                v[d] += (float) rnd.nextGaussian() * 0.3f;
            }
            noisy[i] = new float[][]{views[i][0], SpqTrainerTest.normalise(v)};
        }
        double worse = SpqSelfCheck.meanReciprocalRank(pq, TrainingSet.withoutCycles(noisy));
        assertThat(worse).isLessThan(exact - 0.1).isGreaterThan(1.0 / views.length);
    }

    @Test
    void anUntrainedSpqModelLosesToPqAndTheVerdictSaysSo() {
        int[] labels = new int[600];
        float[][][] views = SpqTrainerTest.clustered(6, 100, 32, 2, 5, labels);
        float[][][] train = new float[500][][];
        float[][][] held = new float[100][][];
        for (int i = 0; i < 600; i++) {
            if (i % 6 == 0) {
                held[i / 6] = views[i];
            } else {
                train[i - i / 6 - 1] = views[i];
            }
        }
        Random rnd = new Random(3);
        // a random head and random codebooks: codes that carry almost nothing about the photo
        SpqModel random = new SpqModel(32, 16, 4, 256, 8, SpqTrainer.gaussian(rnd, 16 * 32, 0.3),
                new float[16], SpqTrainer.gaussian(rnd, 32 * 16, 0.3), new float[32],
                SpqTrainer.gaussian(rnd, 4 * 256 * 8, 1));
        SpqSelfCheck.Result r = SpqSelfCheck.run(TrainingSet.withoutCycles(train), TrainingSet.withoutCycles(held),
                random, SpqSelfCheck.DEFAULT_MARGIN, 1);
        assertThat(r.heldOut()).isEqualTo(100);
        assertThat(r.pqScore()).isGreaterThan(r.spqScore());
        assertThat(r.spqWins()).isFalse();
        assertThat(r.summary()).contains("PQ is kept").contains("100 held-out photos");

        // the live engine's baseline: PQ of the length the app would otherwise use (here 16 bytes for 32-d views)
        SpqSelfCheck.Result longer = SpqSelfCheck.run(TrainingSet.withoutCycles(train), TrainingSet.withoutCycles(held),
                random, SpqSelfCheck.DEFAULT_MARGIN, 1, 128);
        assertThat(longer.spqScore()).isEqualTo(r.spqScore());
        assertThat(longer.pqScore()).as("longer PQ codes find the other view at least as well")
                .isGreaterThan(r.pqScore());
        assertThat(longer.spqWins()).isFalse();
    }
}

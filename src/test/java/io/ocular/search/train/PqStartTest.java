package io.ocular.search.train;

import io.ocular.search.SpqModel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

class PqStartTest {

    /** 4 subspaces x 16 codewords over 48-d features: the identity head needs subDim 12, hidden 96. */
    private static SpqTrainer.Config config(float learningRate) {
        SpqTrainer.Config base = new SpqTrainer.Config(4, 16, 8, 64, 1, 64, learningRate, 0.2f, 0.5f, 0f, 7);
        return SpqTrainer.pqStartConfig(base, 48);
    }

    @Test
    void untrainedModelIsTheCentredFeatureCodedByItsNearestKMeansCodeword() {
        int[] labels = new int[200];
        TrainingSet data = TrainingSet.withoutCycles(SpqTrainerTest.clustered(4, 50, 48, 2, 3, labels));
        SpqModel model = new SpqTrainer(SpqTrainer.Start.PQ).train(data, config(0f), null, (e, n, l) -> { }, null,
                () -> false);

        float[] mean = new float[48];
        for (int i = 0; i < data.size(); i++) {
            for (int v = 0; v < 2; v++) {
                for (int k = 0; k < 48; k++) {
                    mean[k] += data.view(i, v)[k] / (2f * data.size());
                }
            }
        }
        float[] x = data.view(5, 0);
        float[] y = model.project(x);
        assertThat(y).hasSize(48);
        for (int m = 0; m < 4; m++) {
            double norm = 0;
            for (int j = 0; j < 12; j++) {
                double c = x[m * 12 + j] - mean[m * 12 + j];
                norm += c * c;
            }
            for (int j = 0; j < 12; j++) {
                assertThat((double) y[m * 12 + j]).isCloseTo((x[m * 12 + j] - mean[m * 12 + j]) / Math.sqrt(norm),
                        offset(1e-4));
            }
        }
        // the codebooks are spherical k-means of the chunks: unit codewords, all distinct (none left dead)
        float[] cb = model.weights()[4];
        for (int m = 0; m < 4; m++) {
            for (int k = 0; k < 16; k++) {
                double n = 0;
                for (int j = 0; j < 12; j++) {
                    n += cb[(m * 16 + k) * 12 + j] * cb[(m * 16 + k) * 12 + j];
                }
                assertThat(n).isCloseTo(1.0, offset(1e-4));
            }
        }
    }

    @Test
    void trainingMovesAwayFromTheStartAndKeepsNeighboursTogether() {
        int[] labels = new int[400];
        TrainingSet data = TrainingSet.withoutCycles(SpqTrainerTest.clustered(8, 50, 48, 3, 1, labels));
        SpqModel start = new SpqTrainer(SpqTrainer.Start.PQ).train(data, config(0f), null, (e, n, l) -> { }, null,
                () -> false);
        SpqModel trained = new SpqTrainer(SpqTrainer.Start.PQ).train(data, config(3e-3f).withEpochs(3), null,
                (e, n, l) -> { }, null, () -> false);
        assertThat(trained.weights()[4]).isNotEqualTo(start.weights()[4]);
        int same = 0;
        int total = 0;
        for (int q = 0; q < data.size(); q += 10) {
            byte[] cq = trained.encode(data.view(q, 1));
            int best = -1;
            int bestAgree = -1;
            for (int i = 0; i < data.size(); i++) {
                if (i == q) {
                    continue;
                }
                byte[] ci = trained.encode(data.view(i, 0));
                int agree = 0;
                for (int m = 0; m < 4; m++) {
                    agree += ci[m] == cq[m] ? 1 : 0;
                }
                if (agree > bestAgree) {
                    bestAgree = agree;
                    best = i;
                }
            }
            same += labels[best] == labels[q] ? 1 : 0;
            total++;
        }
        assertThat((double) same / total).isGreaterThan(0.8);
    }

    @Test
    void needsOnlyAsManyPhotosAsCodewordsAndTheIdentityShape() {
        SpqTrainer.Config cfg = new SpqTrainer.Config(4, 256, 32, 512, 1, 64, 1e-3f, 0.2f, 0.5f, 0f, 7);
        assertThat(SpqTrainer.minimumPhotos(cfg, SpqTrainer.Start.RANDOM)).isEqualTo(1024);
        assertThat(SpqTrainer.minimumPhotos(cfg, SpqTrainer.Start.PQ)).isEqualTo(256);
        assertThatThrownBy(() -> PqStart.check(48, cfg)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hidden = 2 x 48");
        assertThatThrownBy(() -> SpqTrainer.pqStartConfig(cfg, 50)).hasMessageContaining("multiple of the 4 subspaces");
        assertThatThrownBy(() -> SpqTrainer.Start.parse("warm")).hasMessageContaining("use random or pq");
    }
}

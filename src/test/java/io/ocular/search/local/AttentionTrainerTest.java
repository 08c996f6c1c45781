package io.ocular.search.local;

import io.ocular.model.DenseLocalFeatures;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class AttentionTrainerTest {

    /**
     * Each image has 60 noise locations and 8 "object" locations carrying a class-specific pattern. The
     * weak image label can only be predicted from the object locations, so attention must learn to score
     * them higher.
     */
    @Test
    void learnsToAttendToTheLocationsThatCarryTheLabel() {
        int dim = 16, classes = 3;
        Random r = new Random(4);
        float[][] proto = new float[classes][dim];
        for (float[] p : proto) {
            for (int k = 0; k < dim; k++) {
                p[k] = (float) r.nextGaussian() * 2f;
            }
        }
        List<AttentionTrainer.Example> ex = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            int label = i % classes;
            ex.add(new AttentionTrainer.Example(image(r, proto[label], dim, 60, 8), 68, label));
        }
        AttentionMlp mlp = new AttentionTrainer(new AttentionTrainer.Config(16, 15, 5e-3, 1)).train(ex, dim, classes);
        AttentionKeypointSelector sel = new AttentionKeypointSelector(mlp);
        double objectWins = 0;
        for (int t = 0; t < 30; t++) {
            float[] f = image(r, proto[t % classes], dim, 60, 8);
            float[] zeros = new float[68];
            DenseLocalFeatures d = new DenseLocalFeatures(10, 10, dim, zeros, zeros, zeros, zeros, f, new float[0]);
            int[] top = sel.select(d, 8);
            for (int i : top) {
                if (i >= 60) {
                    objectWins++;
                }
            }
        }
        assertThat(objectWins / (30 * 8)).isGreaterThan(0.6); // chance is 8/68 = 0.12
        AttentionMlp copy = AttentionMlp.fromBytes(mlp.toBytes());
        float[] f = image(r, proto[0], dim, 60, 8);
        assertThat(copy.score(f, 0)).isEqualTo(mlp.score(f, 0));
    }

    private static float[] image(Random r, float[] proto, int dim, int noise, int object) {
        float[] f = new float[(noise + object) * dim];
        for (int i = 0; i < noise + object; i++) {
            for (int k = 0; k < dim; k++) {
                f[i * dim + k] = (float) r.nextGaussian() + (i >= noise ? proto[k] : 0);
            }
        }
        return f;
    }
}

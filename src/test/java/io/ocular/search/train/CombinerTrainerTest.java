package io.ocular.search.train;

import io.ocular.model.OcularException;
import io.ocular.search.CombinerComposer;
import io.ocular.search.CombinerModel;
import io.ocular.search.ComposedRecall;
import io.ocular.search.ComposedTriplets;
import io.ocular.search.VectorMath;
import io.ocular.search.WeightedSumComposer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CombinerTrainerTest {

    @BeforeAll
    static void oneTorchThread() {
        // On a loaded two-core machine PyTorch's two spinning intra-op threads cost 4-6x the time of one; this only
        // takes effect when no earlier test in this JVM started the PyTorch engine.
        System.setProperty("ai.djl.pytorch.num_threads", "1");
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    }

    static CombinerModel randomModel(int dim, int p, int h, long seed) {
        Random rnd = new Random(seed);
        int[] sizes = CombinerModel.sizes(dim, p, h);
        float[][] w = new float[sizes.length][];
        for (int k = 0; k < sizes.length; k++) {
            w[k] = new float[sizes[k]];
            for (int i = 0; i < sizes[k]; i++) {
                w[k][i] = (float) ((rnd.nextDouble() * 2 - 1) * 0.3);
            }
        }
        return new CombinerModel(dim, p, h, w);
    }

    static float[][] units(Random rnd, int n, int dim) {
        float[][] out = new float[n][dim];
        for (float[] v : out) {
            for (int i = 0; i < dim; i++) {
                v[i] = (float) rnd.nextGaussian();
            }
            VectorMath.normaliseInPlace(v);
        }
        return out;
    }

    /** The plain-Java forward used by search equals the PyTorch forward used in training, to 1e-5 per value. */
    @Test
    void javaForwardEqualsPyTorchForward() {
        CombinerModel m = randomModel(32, 24, 40, 5);
        Random rnd = new Random(6);
        float[][] images = units(rnd, 50, 32);
        float[][] texts = units(rnd, 50, 32);
        float[][] torch = CombinerTrainer.forward(m, images, texts);
        double maxDiff = 0;
        for (int i = 0; i < images.length; i++) {
            float[] java = m.combine(images[i], texts[i]);
            for (int j = 0; j < 32; j++) {
                maxDiff = Math.max(maxDiff, Math.abs(java[j] - torch[i][j]));
            }
        }
        assertThat(maxDiff).isLessThan(1e-5);
        // and the outputs are not trivially equal to an input (the MLP contributes)
        assertThat(m.combine(images[0], texts[0])).isNotEqualTo(images[0]);
    }

    /**
     * The proof that it learns: on synthetic features where the target is the reference with one attribute
     * block replaced by the text's (see {@link SyntheticComposition}), the trained Combiner beats the weighted
     * sum at its best weight (chosen on the test set itself, in its favour) by at least 0.25 in Recall@10.
     */
    @Test
    void trainedCombinerBeatsTheWeightedSumOnANonAdditiveTask() {
        SyntheticComposition world = new SyntheticComposition(4, 8, 16, 0.15f, 0.05f, 11);
        SyntheticComposition.Split train = world.sample(100, 2000, 1);
        SyntheticComposition.Split test = world.sample(40, 500, 2);
        List<Double> losses = new ArrayList<>();
        long t0 = System.nanoTime();
        CombinerModel model = new CombinerTrainer().train(train.triplets(),
                CombinerTrainer.Config.defaults(world.dim()).withEpochs(8), (e, n, loss) -> losses.add(loss), () -> false);
        double seconds = (System.nanoTime() - t0) / 1e9;
        ComposedRecall recall = new ComposedRecall(test.index(), test.referenceIds());
        double bestSum = 0;
        double bestW = 0;
        for (double w = 0.1; w < 0.95; w += 0.1) {
            double r = recall.recall(test.triplets(), new WeightedSumComposer(), w, 10)[0];
            if (r > bestSum) {
                bestSum = r;
                bestW = w;
            }
        }
        double[] comb = recall.recall(test.triplets(), new CombinerComposer(model), 0.5, 1, 10, 50);
        double[] sum = recall.recall(test.triplets(), new WeightedSumComposer(), bestW, 1, 10, 50);
        System.out.printf("synthetic composition (gallery %d, %d test triplets): sum (w=%.1f) R@1/10/50 = %.3f/%.3f/%.3f;"
                        + " combiner R@1/10/50 = %.3f/%.3f/%.3f; trained on %d triplets in %.1f s%n",
                test.gallery().length, test.triplets().size(), bestW, sum[0], sum[1], sum[2], comb[0], comb[1], comb[2],
                train.triplets().size(), seconds);
        assertThat(losses.get(losses.size() - 1)).isLessThan(losses.get(0));
        assertThat(comb[1]).isGreaterThan(bestSum + 0.25);
    }

    @Test
    void tooFewTripletsAreRefusedAndCancellingStops() {
        SyntheticComposition world = new SyntheticComposition(2, 3, 4, 0.5f, 0.05f, 1);
        ComposedTriplets few = world.sample(2, 5, 1).triplets();
        assertThatThrownBy(() -> new CombinerTrainer().train(few, CombinerTrainer.Config.defaults(8), (e, n, l) -> { },
                () -> false)).isInstanceOf(OcularException.class).hasMessageContaining("at least 8 triplets");
        ComposedTriplets some = world.sample(4, 64, 1).triplets();
        assertThatThrownBy(() -> new CombinerTrainer().train(some, CombinerTrainer.Config.defaults(8), (e, n, l) -> { },
                () -> true)).isInstanceOf(CancellationException.class);
    }
}

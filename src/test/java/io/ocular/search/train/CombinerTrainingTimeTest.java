package io.ocular.search.train;

import io.ocular.search.CombinerComposer;
import io.ocular.search.CombinerModel;
import io.ocular.search.ComposedRecall;
import io.ocular.search.WeightedSumComposer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The training-time figure of docs/decisions/0160-combiner.md: the default Combiner for CLIP ViT-B/32's 512-d
 * features, on synthetic 512-d triplets (8 attribute blocks of 64, 8 values each). Not a speed test (nothing is
 * asserted about time): it prints seconds per epoch and in all, and checks the model still beats the sum.
 *
 * <pre>
 * nice -n 10 mvn -B -q -Pslow test -Dtest=CombinerTrainingTimeTest -Docular.combiner.triplets=1000 \
 *     -Docular.combiner.epochs=30 -Docular.combiner.projection=1024 -Docular.combiner.hidden=2048 \
 *     -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1
 * </pre>
 */
@Tag("slow")
class CombinerTrainingTimeTest {

    @Test
    void trainsTheDefault512dCombiner() {
        double[] r = measure(Integer.getInteger("ocular.combiner.triplets", 1000),
                Integer.getInteger("ocular.combiner.epochs", 30), Integer.getInteger("ocular.combiner.projection", 1024),
                Integer.getInteger("ocular.combiner.hidden", 2048));
        assertThat(r[1]).isGreaterThan(r[0]);
    }

    /** Returns {sum R@10 at its best weight, combiner R@10}. */
    static double[] measure(int triplets, int epochs, int projection, int hidden) {
        SyntheticComposition world = new SyntheticComposition(8, 8, 64, 0.15f, 0.02f, 11);
        SyntheticComposition.Split train = world.sample(Math.max(20, triplets / 40), triplets, 1);
        SyntheticComposition.Split test = world.sample(20, 500, 2);
        CombinerTrainer.Config cfg = CombinerTrainer.Config.defaults(world.dim()).withEpochs(epochs)
                .withSizes(projection, hidden);
        long t0 = System.nanoTime();
        long[] last = {t0};
        CombinerModel model = new CombinerTrainer().train(train.triplets(), cfg, (e, n, loss) -> {
            long now = System.nanoTime();
            System.out.printf("epoch %d/%d loss %.3f %.1f s%n", e, n, loss, (now - last[0]) / 1e9);
            last[0] = now;
        }, () -> false);
        double seconds = (System.nanoTime() - t0) / 1e9;
        ComposedRecall recall = new ComposedRecall(test.index(), test.referenceIds());
        double sum = 0;
        for (double w = 0.1; w < 0.95; w += 0.1) {
            sum = Math.max(sum, recall.recall(test.triplets(), new WeightedSumComposer(), w, 10)[0]);
        }
        double comb = recall.recall(test.triplets(), new CombinerComposer(model), 0.5, 10)[0];
        System.out.printf("combiner 512-d (projection %d, hidden %d): %d triplets x %d epochs in %.1f s (%.1f s/epoch);"
                        + " R@10 sum %.3f, combiner %.3f (gallery %d)%n", cfg.projection(), cfg.hidden(), triplets, epochs,
                seconds, seconds / epochs, sum, comb, test.gallery().length);
        return new double[]{sum, comb};
    }

    public static void main(String[] args) {
        measure(Integer.parseInt(args[0]), Integer.parseInt(args[1]), args.length > 2 ? Integer.parseInt(args[2]) : 1024,
                args.length > 3 ? Integer.parseInt(args[3]) : 2048);
    }
}

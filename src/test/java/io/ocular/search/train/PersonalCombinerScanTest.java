package io.ocular.search.train;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * How many marks a personal Combiner needs (the choice of {@link PersonalCombiner#MIN_TRIPLETS}, decision 0160):
 * held-out Recall@10 of the Combiner and of the sum at its best weight, for growing numbers of marks on the
 * synthetic non-additive task. A measurement, not a check: {@code mvn -B -q -Pslow test -Dtest=PersonalCombinerScanTest}.
 */
@Tag("slow")
class PersonalCombinerScanTest {
    @Test
    void heldOutRecallByNumberOfMarks() {
        CombinerTrainerTest.oneTorchThread();
        SyntheticComposition world = new SyntheticComposition(4, 8, 16, 0.15f, 0.05f, 11);
        for (int n : new int[]{50, 100, 150, 200, 300, 500}) {
            for (long seed : new long[]{3, 4, 5}) {
                SyntheticComposition.Split user = world.sample(30, n, seed);
                long t0 = System.nanoTime();
                PersonalCombiner.Outcome o = new PersonalCombiner(new CombinerTrainer()).train(user.triplets(),
                        user.referenceIds(), PersonalCombinerTest.half(user), user.index(), PersonalCombiner.config(world.dim()), null,
                        (e, k, l) -> { }, null, () -> false, 8);
                System.out.printf("marks %d seed %d: trained %d, held out %d: R@10 combiner %.3f, sum %.3f,"
                                + " used: %s, %.1f s%n", n, seed, o.trained(), o.heldOut(), o.combinerRecall(),
                        o.sumRecall(), o.beatsSum(), (System.nanoTime() - t0) / 1e9);
            }
        }
    }
}

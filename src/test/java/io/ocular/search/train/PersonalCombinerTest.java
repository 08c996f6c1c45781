package io.ocular.search.train;

import io.ocular.model.OcularException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The personal Combiner's split, gate and training on a user-sized synthetic set ({@link SyntheticComposition}). */
class PersonalCombinerTest {

    @BeforeAll
    static void oneTorchThread() {
        CombinerTrainerTest.oneTorchThread();
    }

    @Test
    void heldOutTripletsAreWholeReferencesAboutAFifthAndNeverAll() {
        long[] refs = new long[200];
        for (int i = 0; i < refs.length; i++) {
            refs[i] = 1000 + i % 37; // 37 reference photos, several searches each
        }
        int[] held = PersonalCombiner.heldOutRows(refs);
        assertThat(held.length).isBetween(40, 60);
        Set<Long> heldRefs = new HashSet<>();
        Arrays.stream(held).forEach(i -> heldRefs.add(refs[i]));
        for (int i = 0; i < refs.length; i++) { // a held-out reference has all its triplets held out
            assertThat(Arrays.binarySearch(held, i) >= 0).isEqualTo(heldRefs.contains(refs[i]));
        }
        assertThat(PersonalCombiner.heldOutRows(refs)).containsExactly(held); // the same split every time
        assertThat(PersonalCombiner.heldOutRows(new long[]{5, 5, 5, 5})).isEmpty(); // one reference: cannot hold out
        assertThat(PersonalCombiner.heldOutRows(new long[]{5, 5, 6, 6}).length).isEqualTo(2);
    }

    @Test
    void tooFewMarksAreRefusedWithTheNumberNeeded() {
        SyntheticComposition world = new SyntheticComposition(2, 3, 4, 0.5f, 0.05f, 1);
        SyntheticComposition.Split s = world.sample(4, 20, 1);
        assertThatThrownBy(() -> new PersonalCombiner(new CombinerTrainer()).train(s.triplets(),
                s.referenceIds(), new double[20], s.index(), PersonalCombiner.config(8), null, (e, n, l) -> { }, null,
                () -> false, PersonalCombiner.MIN_TRIPLETS))
                .isInstanceOf(OcularException.class).hasMessageContaining("at least " + PersonalCombiner.MIN_TRIPLETS)
                .hasMessageContaining("there are 20");
    }

    /**
     * A user's worth of marks: 500 triplets over 30 reference photos in a library of 30 clusters of hard
     * look-alikes; trained with the personal sizes, the Combiner beats the sum at its best weight on the held-out
     * references by more than the gate's margin, so it would be switched on; checkpoints come after every epoch
     * but the last. (With 100-300 marks it wins in about half the draws, see PersonalCombinerScanTest.)
     */
    @Test
    void fiveHundredMarksOfANonAdditiveTasteTrainACombinerThatBeatsTheSumOnHeldOutReferences() {
        SyntheticComposition world = new SyntheticComposition(4, 8, 16, 0.15f, 0.05f, 11);
        SyntheticComposition.Split user = world.sample(30, 500, 3);
        List<Integer> checkpoints = new ArrayList<>();
        long t0 = System.nanoTime();
        PersonalCombiner.Outcome o = new PersonalCombiner(new CombinerTrainer()).train(user.triplets(),
                user.referenceIds(), half(user), user.index(), PersonalCombiner.config(world.dim()).withEpochs(30), null,
                (e, n, l) -> { }, c -> checkpoints.add(c.epochsDone()), () -> false, PersonalCombiner.MIN_TRIPLETS);
        System.out.printf("personal combiner, %d marks (%d trained, %d held out), gallery %d: held-out R@10"
                        + " combiner %.3f vs sum %.3f; %.1f s%n", user.triplets().size(), o.trained(),
                o.heldOut(), user.gallery().length, o.combinerRecall(), o.sumRecall(),
                (System.nanoTime() - t0) / 1e9);
        assertThat(o.trained() + o.heldOut()).isEqualTo(500);
        assertThat(o.heldOut()).isBetween(100, 150);
        assertThat(checkpoints).hasSize(29).startsWith(1, 2).endsWith(29);
        assertThat(o.beatsSum()).isTrue();
        assertThat(o.combinerRecall()).isGreaterThan(o.sumRecall() + 0.2);
    }

    @Test
    void theGateNeedsTwoMoreHeldOutHitsThanTheSum() {
        assertThat(new PersonalCombiner.Outcome(null, 0.55, 0.5, 80, 20).beatsSum()).isFalse(); // one more
        assertThat(new PersonalCombiner.Outcome(null, 0.60, 0.5, 80, 20).beatsSum()).isTrue();  // two more
        assertThat(new PersonalCombiner.Outcome(null, 0.40, 0.5, 80, 20).beatsSum()).isFalse();
    }

    /** Every search marked at the slider's middle. */
    static double[] half(SyntheticComposition.Split s) {
        double[] w = new double[s.triplets().size()];
        Arrays.fill(w, 0.5);
        return w;
    }
}

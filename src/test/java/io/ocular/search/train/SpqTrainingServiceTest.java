package io.ocular.search.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class SpqTrainingServiceTest {

    @TempDir
    Path dir;

    private static TrainingSet data(int perCluster) {
        int[] labels = new int[4 * perCluster];
        return TrainingSet.withoutCycles(SpqTrainerTest.clustered(4, perCluster, 32, 2, 21, labels));
    }

    @Test
    void trainsInTheBackgroundReportsEpochsAndSavesTheModel() throws Exception {
        List<SpqTrainingService.Status> seen = new CopyOnWriteArrayList<>();
        try (SpqTrainingService service = new SpqTrainingService(dir, new SpqTrainer())) {
            service.start(() -> data(100), SpqTrainerTest.small(3), seen::add);
            service.await();
            assertThat(service.status().state()).isEqualTo(SpqTrainingService.State.DONE);
            assertThat(service.trainedModel()).isPresent();
            // 400 photos: 40 held out, a verdict is kept, and the model is preferred exactly when SPQ won
            SpqSelfCheck.Result check = service.selfCheck().orElseThrow();
            assertThat(check.heldOut()).isEqualTo(40);
            assertThat(check.spqScore()).isBetween(0.0, 1.0);
            assertThat(check.pqScore()).isBetween(0.0, 1.0);
            assertThat(service.preferredModel().isPresent()).isEqualTo(check.spqWins());
            assertThat(service.status().message()).contains("self-check on 40 held-out photos");
        }
        assertThat(seen).extracting(SpqTrainingService.Status::state)
                .startsWith(SpqTrainingService.State.PREPARING)
                .contains(SpqTrainingService.State.TRAINING, SpqTrainingService.State.SELF_CHECK)
                .endsWith(SpqTrainingService.State.DONE);
        assertThat(Files.exists(dir.resolve("checkpoint.bin"))).isFalse();
    }

    @Test
    void aCancelledJobResumesFromItsLastEpoch() throws Exception {
        try (SpqTrainingService service = new SpqTrainingService(dir, new SpqTrainer())) {
            service.start(() -> data(100), SpqTrainerTest.small(6), s -> {
                if (s.state() == SpqTrainingService.State.TRAINING && s.epoch() == 2) {
                    service.cancel();
                }
            });
            service.await();
            assertThat(service.status().state()).isEqualTo(SpqTrainingService.State.CANCELLED);
            assertThat(Files.readString(dir.resolve("checkpoint.epochs")).trim()).isIn("2", "3");

            List<Integer> epochs = new CopyOnWriteArrayList<>();
            service.start(() -> data(100), SpqTrainerTest.small(6), s -> {
                if (s.state() == SpqTrainingService.State.TRAINING) {
                    epochs.add(s.epoch());
                }
            });
            service.await();
            assertThat(service.status().state()).isEqualTo(SpqTrainingService.State.DONE);
            assertThat(epochs.get(0)).isGreaterThan(2);
        }
    }

    @Test
    void aCorruptCheckpointIsDiscardedAndTrainingRestarts() throws Exception {
        Files.write(dir.resolve("checkpoint.bin"), new byte[]{1, 2, 3});
        Files.writeString(dir.resolve("checkpoint.epochs"), "2");
        List<Integer> epochs = new CopyOnWriteArrayList<>();
        try (SpqTrainingService service = new SpqTrainingService(dir, new SpqTrainer())) {
            service.start(() -> data(100), SpqTrainerTest.small(2), s -> {
                if (s.state() == SpqTrainingService.State.TRAINING) {
                    epochs.add(s.epoch());
                }
            });
            service.await();
            assertThat(service.status().state()).isEqualTo(SpqTrainingService.State.DONE);
        }
        assertThat(epochs).containsExactly(1, 2);
    }

    @Test
    void tooFewPhotosFallsBackToPqWithTheReason() throws Exception {
        try (SpqTrainingService service = new SpqTrainingService(dir, new SpqTrainer())) {
            service.start(() -> data(10), SpqTrainerTest.small(2), null);
            service.await();
            assertThat(service.status().state()).isEqualTo(SpqTrainingService.State.FELL_BACK_TO_PQ);
            assertThat(service.status().message()).contains("plain PQ is used instead");
            assertThat(service.trainedModel()).isEmpty();
        }
    }

    @Test
    void aBrokenVerdictFileMeansNoPreferenceAndTooFewPhotosHoldNoneOut() throws Exception {
        TrainingSet small = data(40);   // 160 photos: training needs 128, holding out 40 would leave 120
        TrainingSet[] split = SpqTrainingService.holdOut(small, SpqTrainerTest.small(1));
        assertThat(split[1]).isNull();
        assertThat(split[0].size()).isEqualTo(160);
        TrainingSet[] big = SpqTrainingService.holdOut(data(100), SpqTrainerTest.small(1));
        assertThat(big[0].size()).isEqualTo(360);
        assertThat(big[1].size()).isEqualTo(40);
        assertThat(SpqTrainingService.holdOut(data(100), SpqTrainerTest.small(1))[1].view(0, 0))
                .as("the same photos are held out on a resumed run").containsExactly(big[1].view(0, 0));

        try (SpqTrainingService service = new SpqTrainingService(dir, new SpqTrainer())) {
            service.start(() -> small, SpqTrainerTest.small(1), s -> { });
            service.await();
            assertThat(service.status().message()).contains("PQ is kept");
            assertThat(service.trainedModel()).isPresent();
            assertThat(service.preferredModel()).isEmpty();
            Files.writeString(dir.resolve("selfcheck.properties"), "spq=oops\n");
            assertThat(service.selfCheck()).isEmpty();
            assertThat(service.preferredModel()).isEmpty();
        }
    }
}

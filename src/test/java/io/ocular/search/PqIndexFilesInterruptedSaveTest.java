package io.ocular.search;

import io.ocular.store.EmbeddingMatrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A save killed between the model file and the codes file leaves the codes from before it serving. */
class PqIndexFilesInterruptedSaveTest {
    @TempDir
    Path dir;

    @Test
    void aSaveKilledBetweenTheTwoFilesKeepsThePreviousPairLoadable() throws Exception {
        EmbeddingMatrix m = SyntheticVectors.clustered(3_000, 32, 20, 0.7, 5);
        PqConfig config = PqConfig.forBits(64).withTraining(2_000, 6, 2);
        try (ScanPool pool = new ScanPool(2)) {
            PqIndex before = PqIndex.train(m, config, pool, null);
            before.save(dir);
            assertThat(dir.resolve(PqIndexFiles.PREVIOUS_MODEL_FILE)).doesNotExist(); // a finished save cleans up
            float[] q = m.row(123);

            // What a kill leaves after the new model is written and before the new codes are: the old model kept
            // aside, the new model in place, the old codes.
            PqIndex after = PqIndex.train(m, config.withTraining(1_500, 6, 2), pool, null); // other codebooks
            Path other = dir.resolve("other");
            after.save(other);
            Files.copy(dir.resolve(PqIndexFiles.MODEL_FILE), dir.resolve(PqIndexFiles.PREVIOUS_MODEL_FILE));
            Files.copy(other.resolve(PqIndexFiles.MODEL_FILE), dir.resolve(PqIndexFiles.MODEL_FILE),
                    StandardCopyOption.REPLACE_EXISTING);

            PqIndex loaded = PqIndex.load(dir, pool, null);
            assertThat(loaded.search(q, 10)).isEqualTo(before.search(q, 10));

            // Without the kept model the mismatch is refused, as before (the app then rebuilds).
            Files.delete(dir.resolve(PqIndexFiles.PREVIOUS_MODEL_FILE));
            assertThatThrownBy(() -> PqIndex.load(dir, pool, null)).hasMessageContaining("different PQ model");
        }
    }
}

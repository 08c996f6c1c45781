package io.ocular.engine;

import io.ocular.search.AdaptiveIndexSpqTest;
import io.ocular.search.SpqModel;
import io.ocular.search.TrainedCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Which codes the live index is given at open: the trained SPQ codes only when their self-check won. */
class SpqCodesPreferredTest {
    @TempDir
    Path data;

    private Path trainedWith(boolean spqWins) throws Exception {
        Path dir = SpqCodes.folder(data, "model/a");
        Files.createDirectories(dir);
        AdaptiveIndexSpqTest.model(5).save(dir.resolve("spq.bin"));
        Files.writeString(dir.resolve("selfcheck.properties"), "spq=0.64\npq=0.6\nheldOut=120\nspqWins=" + spqWins + "\n");
        return dir;
    }

    @Test
    void aWinningVerdictHandsTheModelOverWithItsNumbersAndATagOfItsFile() throws Exception {
        trainedWith(true);
        TrainedCodes codes = SpqCodes.preferred(data, "model/a").orElseThrow();
        assertThat(codes.model().subspaces()).isEqualTo(4);
        assertThat(codes.summary()).isEqualTo("self-check +0.040 over PQ: 0.640 vs 0.600 on 120 held-out photos");
        assertThat(codes.tag()).isNotBlank();
        assertThat(SpqCodes.preferred(data, "model/b")).as("another model has no codes").isEmpty();
    }

    @Test
    void aLostMissingOrCorruptVerdictOrModelMeansPq() throws Exception {
        Path dir = trainedWith(false);
        assertThat(SpqCodes.preferred(data, "model/a")).as("lost").isEmpty();

        trainedWith(true);
        Files.delete(dir.resolve("selfcheck.properties"));
        assertThat(SpqCodes.preferred(data, "model/a")).as("no verdict (killed before the self-check)").isEmpty();

        trainedWith(true);
        Files.writeString(dir.resolve("selfcheck.properties"), "spq=oops\n");
        assertThat(SpqCodes.preferred(data, "model/a")).as("unreadable verdict").isEmpty();

        trainedWith(true);
        byte[] bytes = Files.readAllBytes(dir.resolve("spq.bin"));
        bytes[bytes.length / 2] ^= 0x33;
        Files.write(dir.resolve("spq.bin"), bytes);
        assertThat(SpqCodes.preferred(data, "model/a")).as("damaged model file (checksum)").isEmpty();

        trainedWith(true);
        Files.delete(dir.resolve("spq.bin"));
        assertThat(SpqCodes.preferred(data, "model/a")).as("model file gone").isEmpty();
    }

    @Test
    void retrainingChangesTheTagSoTheSavedCodesAreRebuilt() throws Exception {
        Path dir = trainedWith(true);
        String first = SpqCodes.preferred(data, "model/a").map(TrainedCodes::tag).orElseThrow();
        SpqModel other = AdaptiveIndexSpqTest.model(6);
        other.save(dir.resolve("spq.bin"));
        Optional<TrainedCodes> second = SpqCodes.preferred(data, "model/a");
        assertThat(second).isPresent();
        assertThat(second.get().tag()).isNotEqualTo(first);
    }
}

package io.ocular.search;

import io.ocular.model.ScoredId;
import io.ocular.store.EmbeddingMatrix;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The live index codes with the user's trained SPQ codes when it is given them (they won their self-check). */
public class AdaptiveIndexSpqTest {
    private static final int DIM = 16;
    private static final long THRESHOLD = 20_000;
    @RegisterExtension
    static final ScanPoolExtension POOL = new ScanPoolExtension(2);
    private static final ScanPool pool = POOL.pool();
    private static EmbeddingMatrix data;

    @TempDir
    Path tmp;

    @BeforeAll
    static void setUp() {
        data = SyntheticVectors.clustered(2_000, DIM, 20, 0.7, 3);
    }

    /** A vector-head SPQ model with random weights: 4 subspaces of 16 codewords (4 bytes per photo). */
    public static SpqModel model(long seed) {
        Random r = new Random(seed);
        int hidden = 24;
        int m = 4;
        int k = 16;
        int d = 8;
        return new SpqModel(DIM, hidden, m, k, d, SpqModelMapHeadTest.random(r, hidden * DIM, 0.3f),
                SpqModelMapHeadTest.random(r, hidden, 0.1f), SpqModelMapHeadTest.random(r, m * d * hidden, 0.3f),
                SpqModelMapHeadTest.random(r, m * d, 0.1f), SpqModelMapHeadTest.random(r, m * k * d, 1f));
    }

    private static TrainedCodes trained(long seed) {
        return new TrainedCodes(model(seed), "tag" + seed, "self-check +0.040 over PQ");
    }

    private AdaptiveIndex open(TrainedCodes codes) throws InterruptedException {
        AdaptiveIndex a = AdaptiveIndex.open(ExactIndex.of(data, pool), tmp, "m", pool, THRESHOLD, IndexChoice.AUTO,
                codes);
        assertThat(a.awaitIdle(Duration.ofMinutes(2))).isTrue();
        return a;
    }

    @Test
    void trainedCodesThatWonAreBuiltSavedAndLoadedAndTheStatusSaysSo() throws Exception {
        try (AdaptiveIndex a = open(trained(1))) {
            assertThat(a.kind()).isEqualTo("spq");
            assertThat(a.lastSource()).isEqualTo("built");
            assertThat(a.describe()).startsWith("spq (trained on your photos, self-check +0.040 over PQ; 4 B/photo");
            // the exact re-rank of the candidates finds a stored photo's own vector first
            assertThat(a.search(data.row(5), 3).get(0).id()).isEqualTo(data.ids()[5]);
            assertThat(a.codeBytesHeldPerPhoto()).isPositive();
        }
        try (AdaptiveIndex b = open(trained(1))) {
            assertThat(b.kind()).isEqualTo("spq");
            assertThat(b.lastSource()).as("same trained model: the saved codes are loaded").isEqualTo("loaded");
        }
    }

    @Test
    void withoutAWinningModelPqIsUsedAndCodesOfAnotherTrainedModelAreRebuilt() throws Exception {
        try (AdaptiveIndex a = open(trained(1))) {
            assertThat(a.kind()).isEqualTo("spq");
        }
        try (AdaptiveIndex pq = open(null)) { // verdict lost or missing: PQ codebooks, the SPQ codes rebuilt
            assertThat(pq.kind()).isEqualTo("ivfpq");
            assertThat(pq.lastSource()).isEqualTo("built");
        }
        try (AdaptiveIndex again = open(trained(2))) { // a newly trained model: its own codes
            assertThat(again.kind()).isEqualTo("spq");
            assertThat(again.lastSource()).isEqualTo("built");
        }
    }

    @Test
    void corruptSavedSpqCodesAreRebuiltWhileExactSearchServes() throws Exception {
        try (AdaptiveIndex a = open(trained(1))) {
            assertThat(a.kind()).isEqualTo("spq");
        }
        try (RandomAccessFile f = new RandomAccessFile(tmp.resolve(PqIndexFiles.CODES_FILE).toFile(), "rw")) {
            long at = f.length() / 2;
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x5A);
        }
        try (AdaptiveIndex b = AdaptiveIndex.open(ExactIndex.of(data, pool), tmp, "m", pool, THRESHOLD,
                IndexChoice.AUTO, trained(1))) {
            List<ScoredId> meanwhile = b.search(data.row(9), 1);
            assertThat(meanwhile.get(0).id()).isEqualTo(data.ids()[9]);
            assertThat(b.awaitIdle(Duration.ofMinutes(2))).isTrue();
            assertThat(b.kind()).isEqualTo("spq");
            assertThat(b.lastSource()).as("the damaged file is not used").isEqualTo("built");
        }
    }

    @Test
    void switchingToTrainedCodesRebuildsInTheBackgroundAndPqServesMeanwhile() throws Exception {
        try (AdaptiveIndex a = open(null)) {
            assertThat(a.kind()).isEqualTo("ivfpq");
            a.useTrainedCodes(trained(3));
            assertThat(a.kind()).as("the PQ codes serve while SPQ codes are made").isIn("ivfpq", "spq");
            assertThat(a.awaitIdle(Duration.ofMinutes(2))).isTrue();
            assertThat(a.kind()).isEqualTo("spq");
            a.useTrainedCodes(null);
            assertThat(a.awaitIdle(Duration.ofMinutes(2))).isTrue();
            assertThat(a.kind()).isEqualTo("ivfpq");
        }
    }
}

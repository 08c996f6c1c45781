package io.ocular.search;

import io.ocular.model.ScoredId;
import io.ocular.store.EmbeddingMatrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A retrain killed with SIGKILL (another JVM, {@link RetrainKillChild}) leaves the previous codes intact: the next
 * open serves them at once and retrains cleanly.
 */
class AdaptiveIndexKillTest {
    static final int DIM = 32;
    static final long THRESHOLD = 10_000;
    private static final int FIRST = 1_000;

    @TempDir
    Path tmp;

    /** The library after growing: 3,000 × 32 (the first 1,000 are what the saved codes were trained on). */
    static EmbeddingMatrix library() {
        return SyntheticVectors.clustered(3_000, DIM, 20, 0.7, 21);
    }

    @Test
    void killingARetrainMidwayKeepsThePreviousCodesServingAndTheNextOpenRetrainsCleanly() throws Exception {
        EmbeddingMatrix all = library();
        EmbeddingMatrix first = new EmbeddingMatrix("m", DIM, Arrays.copyOf(all.ids(), FIRST),
                Arrays.copyOf(all.data(), FIRST * DIM));
        try (ScanPool pool = new ScanPool(2)) {
            try (AdaptiveIndex a = AdaptiveIndex.open(ExactIndex.of(first, pool), tmp, "m", pool, THRESHOLD)) {
                assertThat(a.awaitIdle(Duration.ofMinutes(2))).isTrue();
                assertThat(a.kind()).isEqualTo("ivfpq");
            }
            boolean lastKillInterruptedTheRetrain = true;
            for (long delayMs : new long[]{0, 300, 1_500}) {
                lastKillInterruptedTheRetrain = killChildWhileRetraining(delayMs);
                try (AdaptiveIndex b = AdaptiveIndex.open(ExactIndex.of(all, pool), tmp, "m", pool, THRESHOLD)) {
                    assertThat(b.kind()).as("codes from before the kill serve at once (delay %d ms)", delayMs)
                            .isEqualTo("ivfpq");
                    assertThat(b.lastSource()).isEqualTo("loaded");
                    float[] q = all.row(2_500);
                    assertThat(b.search(q, 3).stream().map(ScoredId::id).toList()).contains(all.ids()[2_500]);
                    b.close(); // stop the retrain this open started, so the next round kills one again
                }
            }
            try (AdaptiveIndex c = AdaptiveIndex.open(ExactIndex.of(all, pool), tmp, "m", pool, THRESHOLD)) {
                assertThat(c.awaitIdle(Duration.ofMinutes(2))).isTrue();
                // a retrain the kill interrupted is done again; one that finished first was saved and loads
                assertThat(c.lastSource()).as("the interrupted retrain completes in a later run")
                        .isEqualTo(lastKillInterruptedTheRetrain ? "built" : "loaded");
                assertThat(c.size()).isEqualTo(all.rows());
                List<ScoredId> hits = c.search(all.row(10), 1);
                assertThat(hits.get(0).id()).isEqualTo(all.ids()[10]);
            }
        }
    }

    /** @return whether the kill came before the child's retrain had finished */
    private boolean killChildWhileRetraining(long delayMs) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                RetrainKillChild.class.getName(), tmp.toString())
                .redirectError(new File(tmp.toFile(), "child.err"))
                .start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.startsWith("RETRAINING"));
            assertThat(line).as("the child started a retrain").isEqualTo("RETRAINING ivfpq");
            Thread.sleep(delayMs);
            child.destroyForcibly(); // SIGKILL on Unix: no shutdown hooks, no finally blocks
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        // on a fast machine the retrain may have finished and saved before the kill: the files tell
        try (ScanPool pool = new ScanPool(1)) {
            return PqIndex.load(tmp, pool, null).size() != library().rows();
        }
    }
}

package io.ocular.index;

import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import io.ocular.store.SqliteCatalog;
import io.ocular.testing.FakeImageEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 in the middle of indexing, then a restart: the catalog is consistent (every INDEXED image has
 * exactly one vector, nothing half-written) and the restart finishes without redoing committed work.
 */
class CrashRecoveryTest {
    private static final int IMAGES = 300;

    @TempDir
    Path dir;

    @Test
    void killedMidRunThenRestartedFinishesConsistently() throws Exception {
        Path lib = dir.resolve("library");
        for (int i = 0; i < IMAGES; i++) {
            TestImages.write(TestImages.seeded(i, 24, 16), "png", lib.resolve("f" + (i % 10)).resolve("p" + i + ".png"));
        }
        Path db = dir.resolve("catalog.db");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx256m", "-Djava.awt.headless=true",
                "-cp", System.getProperty("java.class.path"), CrashIndexChild.class.getName(),
                db.toString(), lib.toString(), "40")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        AtomicLong done = new AtomicLong();
        AtomicBoolean finished = new AtomicBoolean();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("done=")) {
                        done.accumulateAndGet(Long.parseLong(line.substring(5)), Math::max);
                    } else if (line.equals("FINISHED")) {
                        finished.set(true);
                    }
                }
            } catch (Exception e) {
                // the child was killed
            }
        });
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (done.get() < 40 && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        child.destroyForcibly(); // SIGKILL: no shutdown hooks, no close
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        reader.join(10_000);
        assertThat(finished.get()).as("the child was killed before it finished").isFalse();

        long kept;
        FakeImageEncoder encoder = new FakeImageEncoder();
        try (SqliteCatalog catalog = SqliteCatalog.open(db)) {
            kept = assertConsistent(catalog, encoder.modelId());
            assertThat(kept).isGreaterThan(0).isLessThan(IMAGES);

            try (IndexingDaemon daemon = new IndexingDaemon(catalog, () -> encoder, new ImageDecoder(),
                    IndexingDaemon.Config.defaults().withWorkers(2).withBatchSize(8))) {
                daemon.rescan();
                assertThat(daemon.awaitIdle(Duration.ofMinutes(2))).isTrue();
            }
            assertThat(assertConsistent(catalog, encoder.modelId())).isEqualTo(IMAGES);
            assertThat(catalog.countImages(ImageStatus.SKIPPED)).isZero();
            assertThat(encoder.encodedCount()).as("committed work is not redone").isEqualTo(IMAGES - kept);
        }
    }

    /** Every INDEXED image has exactly one vector of the model and no vector is orphaned; returns the count. */
    private static long assertConsistent(SqliteCatalog catalog, String modelId) {
        long indexed = catalog.countImages(ImageStatus.INDEXED);
        assertThat(catalog.countEmbeddings(modelId)).isEqualTo(indexed);
        for (var folder : catalog.folders()) {
            for (ImageRecord r : catalog.imagesInFolder(folder.id())) {
                assertThat(catalog.embedding(r.id(), modelId).isPresent())
                        .as("vector of %s", r.path()).isEqualTo(r.status() == ImageStatus.INDEXED);
            }
        }
        return indexed;
    }
}

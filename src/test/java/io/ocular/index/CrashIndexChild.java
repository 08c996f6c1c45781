package io.ocular.index;

import io.ocular.store.SqliteCatalog;
import io.ocular.testing.FakeImageEncoder;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Child JVM for {@link CrashRecoveryTest}: indexes a library into a real SQLite catalog, printing
 * {@code done=N} as it goes, until it is killed (or finishes). Args: catalog file, library folder, encoder
 * delay per batch in ms.
 */
public final class CrashIndexChild {
    private CrashIndexChild() {
    }

    public static void main(String[] args) throws Exception {
        try (SqliteCatalog catalog = SqliteCatalog.open(Path.of(args[0]))) {
            FakeImageEncoder encoder = new FakeImageEncoder();
            encoder.setDelay(Duration.ofMillis(Long.parseLong(args[2])));
            try (IndexingDaemon daemon = new IndexingDaemon(catalog, () -> encoder, new ImageDecoder(),
                    IndexingDaemon.Config.defaults().withWorkers(2).withBatchSize(8))) {
                daemon.addListener(p -> System.out.println("done=" + p.done()));
                daemon.addFolder(Path.of(args[1]));
                daemon.awaitIdle(Duration.ofMinutes(5));
                System.out.println("FINISHED");
            }
        }
    }
}

package io.ocular.index;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where the catalog lives and how much room indexing leaves free (see {@link StorageGuard}). Without one,
 * indexing still pauses when a catalog write fails for lack of space or write access, and the user resumes it.
 *
 * @param dir          the data folder (its file system is the one checked)
 * @param minFreeBytes indexing pauses when less is free, and resumes when at least this much is
 * @param retry        how often a paused indexer checks again
 */
public record StorageCheck(Path dir, long minFreeBytes, Duration retry) {
    public StorageCheck {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(retry, "retry");
    }

    /** 64 MB kept free, checked again every 5 s. */
    public static StorageCheck of(Path dataDir) {
        return new StorageCheck(dataDir, 64L << 20, Duration.ofSeconds(5));
    }
}

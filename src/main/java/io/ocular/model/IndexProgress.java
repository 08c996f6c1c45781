package io.ocular.model;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A snapshot of the indexing daemon's progress, published to listeners.
 *
 * @param state           what the daemon is doing
 * @param done            files finished in this run (embedded, skipped or found unchanged)
 * @param total           files known to need work in this run (grows while scanning)
 * @param skipped         files skipped in this run
 * @param imagesPerSecond recent throughput of embedded images
 * @param eta             estimated time left, or null when unknown
 * @param currentFile     file being processed, or null
 * @param recentSkips     the most recent skipped files with reasons (bounded)
 * @param notice          what the run found, for people ("3 new photos found in Pictures", "Pictures is
 *                        offline: its photos are kept"), or null when there is nothing to say
 */
public record IndexProgress(State state, long done, long total, long skipped, double imagesPerSecond,
                            Duration eta, Path currentFile, List<SkippedFile> recentSkips, String notice) {

    public IndexProgress(State state, long done, long total, long skipped, double imagesPerSecond, Duration eta,
                         Path currentFile, List<SkippedFile> recentSkips) {
        this(state, done, total, skipped, imagesPerSecond, eta, currentFile, recentSkips, null);
    }

    public enum State { IDLE, SCANNING, INDEXING, PAUSED, CANCELLING, DONE, FAILED }

    public static IndexProgress idle() {
        return new IndexProgress(State.IDLE, 0, 0, 0, 0, null, null, List.of());
    }

    public double fraction() {
        return total <= 0 ? 0 : Math.min(1.0, (double) done / total);
    }
}

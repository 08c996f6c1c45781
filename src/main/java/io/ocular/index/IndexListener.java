package io.ocular.index;

import io.ocular.model.IndexProgress;

/**
 * Receives progress from the indexing daemon. Called on a daemon thread, possibly often: listeners must
 * return quickly and must not block (the UI coalesces into at most one pending FX update).
 */
@FunctionalInterface
public interface IndexListener {
    void onProgress(IndexProgress progress);
}

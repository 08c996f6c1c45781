package io.ocular.index;

import io.ocular.embed.ImageEncoder;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The state of one indexing pass shared by the scheduler (which feeds it), the workers and the writer:
 * its generation (a cancel bumps the daemon's), its encoder, the images already claimed by a move, and how
 * many items are still outstanding (counted down as the writer commits them or a cancel drops them).
 */
final class IndexJob {
    final long generation;
    final ImageEncoder encoder;
    final Set<Long> claimedByMove = ConcurrentHashMap.newKeySet();
    private long outstanding;
    private final List<WorkItem> deferred = new ArrayList<>();
    private volatile boolean modelFailed;

    IndexJob(long generation, ImageEncoder encoder) {
        this.generation = generation;
        this.encoder = encoder;
    }

    synchronized void added() {
        outstanding++;
    }

    synchronized void finished(int n) {
        outstanding -= n;
        if (outstanding <= 0) {
            notifyAll();
        }
    }

    synchronized void awaitDrained() throws InterruptedException {
        while (outstanding > 0) {
            wait(200);
        }
    }

    /** Files another computer of a shared library is indexing now; retried once the pass has drained. */
    synchronized void defer(WorkItem item) {
        deferred.add(item);
    }

    /** The deferred files, now no longer deferred. */
    synchronized List<WorkItem> takeDeferred() {
        List<WorkItem> out = List.copyOf(deferred);
        deferred.clear();
        return out;
    }

    /** The model failed on every image of a batch: the run stops and reports it. */
    void modelFailed() {
        modelFailed = true;
    }

    boolean hasModelFailed() {
        return modelFailed;
    }
}

package io.ocular.cli;

import io.ocular.index.Indexer;
import io.ocular.model.IndexProgress;

import java.io.PrintWriter;
import java.time.Duration;

/** Runs the indexing daemon to completion with a progress bar on stderr. */
final class IndexRun {
    private IndexRun() {
    }

    /**
     * Starts {@code schedule} (e.g. adding folders) and waits until the daemon is idle, drawing progress.
     *
     * @return the daemon's final progress
     */
    static IndexProgress runToCompletion(Indexer indexer, Runnable schedule, PrintWriter err, CtrlC ctrlC)
            throws InterruptedException {
        ProgressBar bar = new ProgressBar(err, System.console() != null, System::nanoTime);
        ctrlC.onInterrupt(indexer::cancel);
        indexer.addListener(bar);
        try {
            schedule.run();
            while (!indexer.awaitIdle(Duration.ofMillis(500))) {
                // keep waiting; the progress bar draws from the daemon's thread
            }
        } finally {
            indexer.removeListener(bar);
        }
        IndexProgress last = indexer.progress();
        bar.onProgress(last);
        bar.finish();
        return last;
    }
}

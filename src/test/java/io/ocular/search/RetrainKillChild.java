package io.ocular.search;

import io.ocular.store.EmbeddingMatrix;

import java.nio.file.Path;

/**
 * A child JVM for {@link AdaptiveIndexKillTest}: opens the compact codes saved in {@code args[0]} over a library
 * that has outgrown them, so a retrain starts in the background; prints {@code RETRAINING} once it runs and
 * waits to be killed.
 */
public final class RetrainKillChild {
    private RetrainKillChild() {
    }

    public static void main(String[] args) throws Exception {
        EmbeddingMatrix data = AdaptiveIndexKillTest.library();
        ScanPool pool = new ScanPool(1);
        AdaptiveIndex a = AdaptiveIndex.open(ExactIndex.of(data, pool), Path.of(args[0]), "m", pool,
                AdaptiveIndexKillTest.THRESHOLD);
        while (!a.building()) {
            Thread.sleep(5);
        }
        System.out.println("RETRAINING " + a.kind());
        System.out.flush();
        Thread.sleep(600_000);
    }
}

package io.ocular.search;

import io.ocular.store.EmbeddingMatrix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The app's compact-code training and its on-disk files, reachable from the kill-storm child and test (they
 * live in other packages): trains IVF-PQ codes the way {@link AdaptiveIndex} does and saves them with
 * {@link PqIndexFiles}; {@link #load} reads them back (checksums verified).
 */
public final class StormCodes {
    private StormCodes() {
    }

    /** Trains codes for every vector of {@code m} and saves them in {@code dir}; returns the number of codes. */
    public static int trainAndSave(EmbeddingMatrix m, Path dir, ScanPool pool) throws IOException {
        ExactIndex exact = ExactIndex.of(m, pool);
        PqConfig cfg = IndexFactory.config("ivfpq", IndexPolicy.bits(m.dimension()), 0, 0,
                IndexPolicy.rerank(m.rows()), m.rows());
        PqIndex codes = PqIndex.train(m, cfg, pool, new ExactReranker(exact));
        Files.createDirectories(dir);
        PqIndexFiles.save(codes, dir);
        return codes.size();
    }

    /** True when codes were saved in {@code dir}. */
    public static boolean present(Path dir) {
        return Files.exists(dir.resolve(PqIndexFiles.MODEL_FILE)) || Files.exists(dir.resolve(PqIndexFiles.CODES_FILE));
    }

    /** Loads saved codes; an IOException when they are damaged or do not belong together. Returns their count. */
    public static int load(Path dir, ScanPool pool) throws IOException {
        return PqIndexFiles.load(dir, pool, (q, candidates, k) -> candidates).size();
    }
}

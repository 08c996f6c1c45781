package io.ocular.index;

import io.ocular.model.ImageRecord;
import io.ocular.store.Catalog;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;

/**
 * One batch's catalog changes, made by {@link BatchEmbedder} and applied by the writer in one transaction:
 * moves (a catalogued image found at a new path keeps its id and vectors), and records with their vectors
 * (null for a SKIPPED record).
 *
 * @param job     the pass the batch belongs to
 * @param items   work items the batch accounts for (counted down when it is applied)
 * @param moves   images found at a new path
 * @param records new or changed records, INDEXED or SKIPPED
 * @param vectors one per record: the active model's vector, or null for a SKIPPED record
 */
record EmbeddedBatch(IndexJob job, int items, List<Move> moves, List<ImageRecord> records, List<float[]> vectors) {

    /** A catalogued image whose file is now at {@code path}. */
    record Move(long imageId, long folderId, Path path, long size, long mtimeMillis) {
    }

    /** What {@link #apply} stored. */
    record Applied(List<ImageRecord> records, int moves) {
    }

    /**
     * Writes the batch (on the writer thread); work under a folder removed meanwhile is dropped.
     *
     * @param removed tells whether a folder id was removed from the library since the batch was made
     */
    Applied apply(Catalog catalog, LongPredicate removed) {
        int moved = 0;
        for (Move m : moves) {
            if (!removed.test(m.folderId())) {
                catalog.moveImage(m.imageId(), m.folderId(), m.path(), m.size(), m.mtimeMillis());
                moved++;
            }
        }
        List<ImageRecord> kept = new ArrayList<>();
        List<float[]> keptVectors = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            if (!removed.test(records.get(i).folderId())) {
                kept.add(records.get(i));
                keptVectors.add(vectors.get(i));
            }
        }
        if (!kept.isEmpty()) {
            catalog.commitBatch(kept, job.encoder.modelId(), keptVectors);
        }
        return new Applied(kept, moved);
    }
}

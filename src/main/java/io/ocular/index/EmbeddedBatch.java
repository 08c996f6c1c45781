package io.ocular.index;

import io.ocular.model.ImageRecord;
import io.ocular.store.Catalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * @param frames  by index in {@code records}: the JPEG of a new moment's frame, kept for re-embedding
 *                ({@link MomentFrames})
 */
record EmbeddedBatch(IndexJob job, int items, List<Move> moves, List<ImageRecord> records, List<float[]> vectors,
                     Map<Integer, byte[]> frames) {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBatch.class);

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
        Map<Integer, byte[]> keptFrames = new HashMap<>();
        for (int i = 0; i < records.size(); i++) {
            if (!removed.test(records.get(i).folderId())) {
                if (frames.containsKey(i)) {
                    keptFrames.put(kept.size(), frames.get(i));
                }
                kept.add(records.get(i));
                keptVectors.add(vectors.get(i));
            }
        }
        if (!kept.isEmpty()) {
            List<ImageRecord> stored = catalog.commitBatch(kept, job.encoder.modelId(), keptVectors);
            keepFrames(catalog, stored, keptFrames);
        }
        return new Applied(kept, moved);
    }

    /** After the commit: frames are a saving for later, so failing to keep one loses nothing (ffmpeg again). */
    private static void keepFrames(Catalog catalog, List<ImageRecord> stored, Map<Integer, byte[]> frames) {
        for (Map.Entry<Integer, byte[]> e : frames.entrySet()) {
            if (e.getKey() < stored.size() && stored.get(e.getKey()).isMoment()) {
                try {
                    catalog.putImageData(stored.get(e.getKey()).id(), MomentFrames.KIND, e.getValue());
                } catch (RuntimeException ex) {
                    LOG.warn("could not keep a video frame of {}: {}", stored.get(e.getKey()).path(), ex.getMessage());
                    return;
                }
            }
        }
    }
}

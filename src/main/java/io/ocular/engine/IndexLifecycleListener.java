package io.ocular.engine;

import io.ocular.model.ModelInfo;

import java.util.Collection;
import java.util.List;

/**
 * Hooks into the life of the active model's vector index, for structures kept beside it (compact codes,
 * an on-disk index) that must follow every change. The engine calls them after the catalog has committed the
 * change and the in-memory index has applied it, on the thread that made the change (the indexing daemon's
 * writer for added and removed vectors, the caller of {@link ModelService#activate} for a switch); a listener
 * must be quick and must not call back into the engine. A listener that throws is logged and skipped; the
 * change stays committed.
 */
public interface IndexLifecycleListener {

    /**
     * Vectors of the active model were committed.
     *
     * @param ids     the images, in the order of {@code vectors}
     * @param vectors unit-length vectors of {@code modelId} (do not modify them)
     */
    default void vectorsAdded(String modelId, List<Long> ids, List<float[]> vectors) {
    }

    /** Images left the catalog (deleted, or their folder removed): their vectors are gone from the index. */
    default void vectorsRemoved(Collection<Long> ids) {
    }

    /**
     * Another model became active. Its vectors already in the catalog are in the new index; the rest follow
     * as {@link #vectorsAdded} while the library is re-embedded.
     *
     * @param indexedVectors how many of its vectors the new index holds at the switch
     */
    default void modelSwitched(ModelInfo from, ModelInfo to, int indexedVectors) {
    }
}

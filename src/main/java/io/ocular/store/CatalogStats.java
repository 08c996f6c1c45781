package io.ocular.store;

import java.util.Map;

/**
 * A snapshot of what the catalog holds (for "ocular status", the settings page and diagnostics).
 *
 * @param schemaVersion      the database's schema version
 * @param folders            library folders
 * @param pendingImages      images known but not yet embedded
 * @param indexedImages      images embedded
 * @param skippedImages      images that could not be used
 * @param embeddingsByModel  stored vectors per model id (registered models only, zero included)
 * @param imageDataByKind    stored derived per-image data entries per kind
 * @param fileBytes          size of the database file plus its write-ahead log, in bytes
 */
public record CatalogStats(int schemaVersion, long folders, long pendingImages, long indexedImages,
                           long skippedImages, Map<String, Long> embeddingsByModel,
                           Map<String, Long> imageDataByKind, long fileBytes) {

    public CatalogStats {
        embeddingsByModel = Map.copyOf(embeddingsByModel);
        imageDataByKind = Map.copyOf(imageDataByKind);
    }

    public long totalImages() {
        return pendingImages + indexedImages + skippedImages;
    }
}

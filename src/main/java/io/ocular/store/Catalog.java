package io.ocular.store;

import io.ocular.model.FolderRecord;
import io.ocular.model.ImageRecord;
import io.ocular.model.ModelInfo;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The persistent catalog: library folders, image files, models and embeddings.
 *
 * <p>Concurrency contract: any number of threads may read at any time; writes come from one writer
 * thread (the indexing daemon's) and never wait for readers (SQLite WAL). Every write method is atomic;
 * {@link #commitBatch} writes a whole batch in one transaction so a crash leaves either all or none of it.
 */
public interface Catalog extends AutoCloseable {

    // ---- folders -------------------------------------------------------------------------------

    /** Adds a library folder (normalised absolute path); returns the existing one if already present. */
    FolderRecord addFolder(Path folder);

    /** Removes a folder and every image (and embedding) below it. */
    void removeFolder(long folderId);

    List<FolderRecord> folders();

    // ---- images --------------------------------------------------------------------------------

    Optional<ImageRecord> image(long id);

    Optional<ImageRecord> imageByPath(Path path);

    /** All images (any status) whose path lies under the given folder id. */
    List<ImageRecord> imagesInFolder(long folderId);

    /** Images with this content hash (to recognise moved/renamed files). */
    List<ImageRecord> imagesByHash(String contentHash);

    /** Inserts or updates by path; returns the record with its id. */
    ImageRecord upsertImage(ImageRecord image);

    /** Moves a known image to a new path (rename/move on disk) keeping its id and embeddings. */
    void moveImage(long id, long folderId, Path newPath, long size, long mtimeMillis);

    /** Deletes images (and their embeddings). */
    void deleteImages(Collection<Long> ids);

    /** Number of images with the given status across the library. */
    long countImages(io.ocular.model.ImageStatus status);

    /** Skipped images with their reasons. */
    List<ImageRecord> skippedImages(int limit);

    // ---- models --------------------------------------------------------------------------------

    /** Registers (or updates) a model whose vectors may be stored. */
    void registerModel(ModelInfo model);

    List<ModelInfo> models();

    Optional<ModelInfo> model(String modelId);

    Optional<String> activeModelId();

    void setActiveModelId(String modelId);

    // ---- embeddings ----------------------------------------------------------------------------

    /**
     * One unit of the writer's work: images (inserted/updated by path) and the vectors just computed for
     * them, committed together in one transaction. Vectors are matched to images by position; a null vector
     * stores the image without an embedding (e.g. a skipped file).
     */
    List<ImageRecord> commitBatch(List<ImageRecord> images, String modelId, List<float[]> vectors);

    Optional<float[]> embedding(long imageId, String modelId);

    /** Ids of indexed images that have no vector of this model yet (for re-embedding after a model change). */
    List<Long> imagesWithoutEmbedding(String modelId);

    /** All vectors of a model, loaded into one contiguous matrix for search. */
    EmbeddingMatrix loadEmbeddings(String modelId);

    /** Number of stored vectors of a model. */
    long countEmbeddings(String modelId);

    /** Generic small key-value settings (schema-free state such as daemon checkpoints). */
    Optional<String> setting(String key);

    void putSetting(String key, String value);

    // ---- per-image data blobs -----------------------------------------------------------------

    /** Stores (or replaces) an opaque blob of the given kind for an image (e.g. compressed local features). */
    void putImageData(long imageId, String kind, byte[] data);

    /** The blob of that kind for the image, if any. */
    Optional<byte[]> imageData(long imageId, String kind);

    /** Deletes every blob of that kind (e.g. after the format or its model changed). */
    void deleteImageData(String kind);

    /** Number of images with a blob of that kind. */
    long countImageData(String kind);

    @Override
    void close();
}

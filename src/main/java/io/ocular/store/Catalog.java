package io.ocular.store;

import io.ocular.model.ComposeMark;
import io.ocular.model.FolderRecord;
import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import io.ocular.model.ModelInfo;
import io.ocular.model.SearchScope;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * The persistent catalog: library folders, image files, models and embeddings.
 *
 * <p>Concurrency contract: any number of threads may read at any time; writes come from one writer
 * thread (the indexing daemon's) and never wait for readers (SQLite WAL). Every write method is atomic;
 * {@link #commitBatch} writes a whole batch in one transaction so a crash leaves either all or none of it.
 *
 * <p>Videos (decision 0140): a video file has one record like a photo ({@link ImageRecord#isVideoFile}, no
 * vector) and each of its moments a record of its own ({@link ImageRecord#isMoment}: the video's path, its time,
 * its own vector), which goes with the video's record. Methods about files (by path, in a folder, by hash,
 * counts, skipped) see file records only; {@link #image}, {@link #images} and vectors see moments too.
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

    /**
     * The images with these ids, by id, read at once (a search's hits, a duplicate scan's members); ids not in
     * the catalog are left out. This default reads them one by one; a database answers in one query.
     */
    default Map<Long, ImageRecord> images(Collection<Long> ids) {
        Map<Long, ImageRecord> out = new HashMap<>();
        for (long id : ids) {
            image(id).ifPresent(r -> out.put(id, r));
        }
        return out;
    }

    Optional<ImageRecord> imageByPath(Path path);

    /** All images (any status) whose path lies under the given folder id. */
    List<ImageRecord> imagesInFolder(long folderId);

    /**
     * {@link #imagesInFolder} one record at a time, in any order: a caller that keeps a few columns of each (the
     * browsed library of 1M photos, issue 13) holds no list of a million records. This default reads the list.
     */
    default void forEachImageInFolder(long folderId, Consumer<ImageRecord> action) {
        imagesInFolder(folderId).forEach(action);
    }

    /**
     * Ids of the photos (not skipped) a search {@code scope} narrows to: under one of its folders (with their
     * sub-folders; none = all) and dated (EXIF date taken, else the file's time) within its range. The scope's
     * excluded ids are not applied here. A search turns the set into its vector-search filter. This default
     * walks every folder; catalogs with a query language override it.
     */
    default BitSet imageIdsIn(SearchScope scope) {
        BitSet out = new BitSet();
        for (FolderRecord f : folders()) {
            for (ImageRecord r : imagesInFolder(f.id())) {
                if (r.status() != ImageStatus.SKIPPED && scope.contains(r.path(), r.takenAt(), r.mtimeMillis())) {
                    out.set(Math.toIntExact(r.id()));
                    if (r.isVideoFile()) { // its moments are what search finds
                        moments(r.id()).forEach(m -> out.set(Math.toIntExact(m.id())));
                    }
                }
            }
        }
        return out;
    }

    /** Images with this content hash (to recognise moved/renamed files). */
    List<ImageRecord> imagesByHash(String contentHash);

    /**
     * Inserts or updates by path; returns the record with its id. When the update records new content
     * (a different content hash, or, if either hash is unknown, a different size or mtime), the image's
     * vectors and derived data are dropped: they described the old pixels.
     */
    ImageRecord upsertImage(ImageRecord image);

    /**
     * Moves a known image to a new path (rename/move on disk) keeping its id and embeddings. A row already
     * at {@code newPath} is replaced by the moved image. Fails with an {@code OcularException} if {@code id}
     * is not in the catalog.
     */
    void moveImage(long id, long folderId, Path newPath, long size, long mtimeMillis);

    /** Deletes images (and their embeddings). */
    void deleteImages(Collection<Long> ids);

    /** Number of images with the given status across the library. */
    long countImages(ImageStatus status);

    /** Skipped images with their reasons. */
    List<ImageRecord> skippedImages(int limit);

    /** The moments of the video whose record is {@code videoId}, in time order (none for a photo). */
    List<ImageRecord> moments(long videoId);

    // ---- models --------------------------------------------------------------------------------

    /**
     * Registers (or updates) a model whose vectors may be stored. Re-registering it with a different
     * dimension or SHA-256 drops its stored vectors (a different model made them).
     */
    void registerModel(ModelInfo model);

    List<ModelInfo> models();

    Optional<ModelInfo> model(String modelId);

    Optional<String> activeModelId();

    void setActiveModelId(String modelId);

    // ---- embeddings ----------------------------------------------------------------------------

    /**
     * One unit of the writer's work: images (inserted/updated by path) and the vectors just computed for
     * them, committed together in one transaction. Vectors are matched to images by position; a null vector
     * stores the image without an embedding (e.g. a skipped file). An unregistered model, a vector of the
     * wrong dimension or with NaN/infinite values rejects the whole batch with an {@code OcularException}.
     *
     * <p>A video is written as its file record (null vector) followed by its moments (each with its vector): its
     * moments are then replaced by these. A file record that is not INDEXED, or records new content, drops its
     * moments. A moment whose video record is not in the catalog (nor earlier in the batch) rejects the batch.
     */
    List<ImageRecord> commitBatch(List<ImageRecord> images, String modelId, List<float[]> vectors);

    Optional<float[]> embedding(long imageId, String modelId);

    /** Ids of indexed images that have no vector of this model yet (for re-embedding after a model change). */
    List<Long> imagesWithoutEmbedding(String modelId);

    /** All vectors of a model, loaded into one contiguous matrix for search. */
    EmbeddingMatrix loadEmbeddings(String modelId);

    /** Number of stored vectors of a model. */
    long countEmbeddings(String modelId);

    /** Receives one stored vector; the array may be reused for the next one (copy what you keep). */
    @FunctionalInterface
    interface EmbeddingSink {
        void accept(long imageId, float[] vector);
    }

    /**
     * Streams every vector of a model in ascending image-id order, holding one row at a time (the memory-mapped
     * vector file of a large library is written from it). This default goes through {@link #loadEmbeddings}.
     */
    default void forEachEmbedding(String modelId, EmbeddingSink sink) {
        EmbeddingMatrix m = loadEmbeddings(modelId);
        long[] ids = m.ids();
        Integer[] order = IntStream.range(0, ids.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingLong(i -> ids[i]));
        float[] row = new float[m.dimension()];
        for (int i : order) {
            System.arraycopy(m.data(), i * m.dimension(), row, 0, m.dimension());
            sink.accept(ids[i], row);
        }
    }

    /** The image ids that have a vector of this model, ascending (without reading the vectors). */
    default long[] embeddingIds(String modelId) {
        long[] ids = loadEmbeddings(modelId).ids().clone();
        Arrays.sort(ids);
        return ids;
    }

    // ---- derived per-image data ------------------------------------------------------------------

    /**
     * Stores (or replaces) one opaque blob of derived data for an image, e.g. DELF local features
     * ({@code kind = "delf-v1"}) or a compact code. Dropped with its image.
     */
    void putImageData(long imageId, String kind, byte[] data);

    Optional<byte[]> imageData(long imageId, String kind);

    /** Drops all data of one kind (e.g. after retraining the codebook that produced it). */
    void deleteImageData(String kind);

    long countImageData(String kind);

    /**
     * Ids of INDEXED images that have no data of this kind yet (e.g. images still needing local features),
     * in id order. The default walks every folder; catalogs with a query language override it.
     */
    default List<Long> imagesWithoutImageData(String kind) {
        List<Long> out = new ArrayList<>();
        for (FolderRecord f : folders()) {
            for (ImageRecord r : imagesInFolder(f.id())) {
                if (r.status() == ImageStatus.INDEXED && !r.isVideoFile() && imageData(r.id(), kind).isEmpty()) {
                    out.add(r.id());
                }
            }
        }
        Collections.sort(out);
        return out;
    }

    /**
     * INDEXED images counted by a label of their path (e.g. the photo kind by extension, for status),
     * labels sorted. Walks every folder.
     */
    default Map<String, Long> countIndexedBy(Function<Path, String> label) {
        Map<String, Long> out = new TreeMap<>();
        for (FolderRecord f : folders()) {
            for (ImageRecord r : imagesInFolder(f.id())) {
                if (r.status() == ImageStatus.INDEXED) {
                    out.merge(label.apply(r.path()), 1L, Long::sum);
                }
            }
        }
        return out;
    }

    // ---- compose marks (the user's verdicts on composed-search results) ---------------------------

    /**
     * Keeps the user's verdict on a composed-search result, replacing an earlier one on the same (model,
     * reference, words, result). Never leaves the catalog; goes with its images and its model.
     *
     * @throws io.ocular.model.OcularException when the model or either photo is not in the catalog (nothing kept)
     */
    void putComposeMark(ComposeMark mark);

    /** Removes one verdict (the user took the mark back); true when there was one. */
    boolean deleteComposeMark(String modelId, long referenceId, String modification, long targetId);

    /** A model's marks, oldest first. */
    List<ComposeMark> composeMarks(String modelId);

    /** The number of a model's relevant ({@code true}) or not-relevant marks. */
    long countComposeMarks(String modelId, boolean relevant);

    /** "Forget my compose history": deletes a model's marks, or every model's when {@code modelId} is null. */
    int forgetComposeMarks(String modelId);

    // ---- shared indexing -------------------------------------------------------------------------

    /**
     * How this catalog shares indexing work with other computers; a catalog only this process writes gives it
     * all to the caller ({@link WorkClaims#EXCLUSIVE}).
     */
    default WorkClaims claims() {
        return WorkClaims.EXCLUSIVE;
    }

    /**
     * The server's own vector search, where the catalog lives on a server that can search (PostgreSQL with
     * pgvector); empty when Ocular searches vectors it loaded (a SQLite file, a server in bytea mode).
     */
    default Optional<ServerVectors> serverVectors() {
        return Optional.empty();
    }

    /**
     * Whether the catalog answers now: always for a file; for a library server, one round trip (a paused indexer
     * asks it to know when the server is back).
     */
    default boolean reachable() {
        return true;
    }

    /** One line for status: where the catalog lives and how vectors are searched (e.g. "SQLite file ..."). */
    default String describeLocation() {
        return "local catalog";
    }

    // ---- settings and diagnostics --------------------------------------------------------------

    /** Generic small key-value settings (schema-free state such as daemon checkpoints). */
    Optional<String> setting(String key);

    /** Stores a setting; a null value removes it. */
    void putSetting(String key, String value);

    /** Counts for status displays and diagnostics. */
    CatalogStats stats();

    @Override
    void close();
}

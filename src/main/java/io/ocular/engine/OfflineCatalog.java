package io.ocular.engine;

import io.ocular.model.ComposeMark;
import io.ocular.model.FolderRecord;
import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import io.ocular.model.ModelInfo;
import io.ocular.model.OcularException;
import io.ocular.model.StorageException;
import io.ocular.store.Catalog;
import io.ocular.store.CatalogStats;
import io.ocular.store.EmbeddingMatrix;

import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A shared library read from this computer's copy ({@link LibrarySnapshot}) while its server is away: every read
 * answers from the copy, every write is refused with a {@link StorageException} (the indexer pauses on it and
 * redoes the work once the server is back). Thread-safe (immutable).
 */
final class OfflineCatalog implements Catalog {
    private final LibrarySnapshot copy;
    private final Map<Long, ImageRecord> byId = new HashMap<>();
    private final Map<Path, ImageRecord> byPath = new HashMap<>();
    private final Map<Long, Integer> rowOf = new HashMap<>();

    OfflineCatalog(LibrarySnapshot copy) {
        this.copy = copy;
        for (ImageRecord r : copy.images()) {
            byId.put(r.id(), r);
            if (!r.isMoment()) {
                byPath.put(r.path(), r);
            }
        }
        long[] ids = copy.vectors().ids();
        for (int i = 0; i < ids.length; i++) {
            rowOf.put(ids[i], i);
        }
    }

    /**
     * The copy in {@code file}.
     *
     * @throws OcularException when it cannot be read (missing, damaged)
     */
    static OfflineCatalog read(Path file) {
        try {
            return new OfflineCatalog(LibrarySnapshot.read(file));
        } catch (IOException e) {
            throw new OcularException("This computer's copy of the shared library cannot be read (" + e.getMessage()
                    + ").", e);
        }
    }

    /** When the copy was read from the server, for the user ("from 14:02"). */
    String copiedAt() {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(ZoneId.systemDefault())
                .format(copy.takenAt());
    }

    private StorageException readOnly() {
        return new StorageException(StorageException.Problem.UNREACHABLE, "The library server is away: Ocular shows"
                + " this computer's copy of the library (from " + copiedAt() + "), read-only; changes wait until the"
                + " server is back.", null);
    }

    private List<ImageRecord> files() {
        return copy.images().stream().filter(r -> !r.isMoment()).toList();
    }

    @Override
    public FolderRecord addFolder(Path folder) {
        throw readOnly();
    }

    @Override
    public void removeFolder(long folderId) {
        throw readOnly();
    }

    @Override
    public List<FolderRecord> folders() {
        return copy.folders();
    }

    @Override
    public Optional<ImageRecord> image(long id) {
        return Optional.ofNullable(byId.get(id));
    }

    @Override
    public Optional<ImageRecord> imageByPath(Path path) {
        return Optional.ofNullable(byPath.get(path));
    }

    @Override
    public List<ImageRecord> imagesInFolder(long folderId) {
        return files().stream().filter(r -> r.folderId() == folderId).toList();
    }

    @Override
    public List<ImageRecord> imagesByHash(String contentHash) {
        return files().stream().filter(r -> contentHash.equals(r.contentHash())).toList();
    }

    @Override
    public ImageRecord upsertImage(ImageRecord image) {
        throw readOnly();
    }

    @Override
    public void moveImage(long id, long folderId, Path newPath, long size, long mtimeMillis) {
        throw readOnly();
    }

    @Override
    public void deleteImages(Collection<Long> ids) {
        throw readOnly();
    }

    @Override
    public long countImages(ImageStatus status) {
        return files().stream().filter(r -> r.status() == status).count();
    }

    @Override
    public List<ImageRecord> skippedImages(int limit) {
        return files().stream().filter(r -> r.status() == ImageStatus.SKIPPED).limit(limit).toList();
    }

    @Override
    public List<ImageRecord> moments(long videoId) {
        ImageRecord video = byId.get(videoId);
        if (video == null || !video.isVideoFile()) {
            return List.of();
        }
        return copy.images().stream().filter(r -> r.isMoment() && r.path().equals(video.path()))
                .sorted(Comparator.comparingLong(ImageRecord::frameMs)).toList();
    }

    @Override
    public void registerModel(ModelInfo model) {
        throw readOnly();
    }

    @Override
    public List<ModelInfo> models() {
        return List.of(copy.model());
    }

    @Override
    public Optional<ModelInfo> model(String modelId) {
        return copy.model().id().equals(modelId) ? Optional.of(copy.model()) : Optional.empty();
    }

    @Override
    public Optional<String> activeModelId() {
        return Optional.of(copy.model().id());
    }

    @Override
    public void setActiveModelId(String modelId) {
        throw readOnly();
    }

    @Override
    public List<ImageRecord> commitBatch(List<ImageRecord> images, String modelId, List<float[]> vectors) {
        throw readOnly();
    }

    @Override
    public Optional<float[]> embedding(long imageId, String modelId) {
        Integer row = rowOf.get(imageId);
        return row == null || !copy.model().id().equals(modelId) ? Optional.empty()
                : Optional.of(copy.vectors().row(row));
    }

    @Override
    public List<Long> imagesWithoutEmbedding(String modelId) {
        List<Long> out = new ArrayList<>();
        for (ImageRecord r : copy.images()) {
            if (r.status() == ImageStatus.INDEXED && !r.isVideoFile() && embedding(r.id(), modelId).isEmpty()) {
                out.add(r.id());
            }
        }
        return out;
    }

    @Override
    public EmbeddingMatrix loadEmbeddings(String modelId) {
        if (copy.model().id().equals(modelId)) {
            return copy.vectors();
        }
        return new EmbeddingMatrix(modelId, copy.model().dimension(), new long[0], new float[0]);
    }

    @Override
    public long countEmbeddings(String modelId) {
        return copy.model().id().equals(modelId) ? copy.vectors().rows() : 0;
    }

    @Override
    public void putImageData(long imageId, String kind, byte[] data) {
        throw readOnly();
    }

    @Override
    public Optional<byte[]> imageData(long imageId, String kind) {
        return Optional.empty();
    }

    @Override
    public void deleteImageData(String kind) {
        throw readOnly();
    }

    @Override
    public long countImageData(String kind) {
        return 0;
    }

    @Override
    public Optional<String> setting(String key) {
        return Optional.empty();
    }

    /** The copy holds no compose marks: none are read, none are kept while the server is away. */
    @Override
    public void putComposeMark(ComposeMark mark) {
        throw readOnly();
    }

    @Override
    public boolean deleteComposeMark(String modelId, long referenceId, String modification, long targetId) {
        throw readOnly();
    }

    @Override
    public List<ComposeMark> composeMarks(String modelId) {
        return List.of();
    }

    @Override
    public long countComposeMarks(String modelId, boolean relevant) {
        return 0;
    }

    @Override
    public int forgetComposeMarks(String modelId) {
        throw readOnly();
    }

    @Override
    public void putSetting(String key, String value) {
        throw readOnly();
    }

    @Override
    public CatalogStats stats() {
        return new CatalogStats(0, copy.folders().size(), countImages(ImageStatus.PENDING),
                countImages(ImageStatus.INDEXED), countImages(ImageStatus.SKIPPED),
                Map.of(copy.model().id(), (long) copy.vectors().rows()), Map.of(), 0);
    }

    @Override
    public String describeLocation() {
        return "this computer's copy of the shared library (from " + copiedAt() + "; the server is away), read-only";
    }

    @Override
    public boolean reachable() {
        return false;
    }

    @Override
    public void close() {
        // nothing held open
    }
}

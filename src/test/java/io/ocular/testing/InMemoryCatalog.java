package io.ocular.testing;

import io.ocular.model.ComposeMark;
import io.ocular.model.FolderRecord;
import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import io.ocular.model.ModelInfo;
import io.ocular.model.OcularException;
import io.ocular.store.Catalog;
import io.ocular.store.CatalogStats;
import io.ocular.store.EmbeddingMatrix;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A complete, thread-safe {@link Catalog} in memory (every method is synchronized). Follows the same
 * contract as the SQLite catalog: upsert by path, one atomic {@link #commitBatch}, vectors of a model must
 * have its registered dimension, a content change drops the image's vectors of other models.
 *
 * <p>For tests it also records which threads wrote ({@link #writerThreads()}) and how many batches were
 * committed, so that "exactly one writer thread" and "one transaction per batch" can be asserted.
 */
public final class InMemoryCatalog implements Catalog {

    private final Map<Long, FolderRecord> folders = new TreeMap<>();
    private final Map<Long, ImageRecord> images = new TreeMap<>();
    private final Map<Path, Long> idByPath = new HashMap<>();
    private final Map<String, Map<Long, float[]>> embeddings = new HashMap<>();
    private final Map<String, Map<Long, byte[]>> imageData = new HashMap<>();
    private final Map<String, ModelInfo> models = new LinkedHashMap<>();
    private final Map<String, String> settings = new HashMap<>();
    private String activeModelId;
    private long nextFolderId = 1;
    private long nextImageId = 1;
    private final Set<String> writerThreads = ConcurrentHashMap.newKeySet();
    private final AtomicInteger batches = new AtomicInteger();
    private boolean closed;
    private final InMemoryComposeMarks marks = new InMemoryComposeMarks();

    private static Path norm(Path p) {
        return p.toAbsolutePath().normalize();
    }

    private void write() {
        if (closed) {
            throw new IllegalStateException("catalog closed");
        }
        writerThreads.add(Thread.currentThread().getName());
    }

    /** Names of the threads that called write methods. */
    public Set<String> writerThreads() {
        return Set.copyOf(writerThreads);
    }

    public int committedBatches() {
        return batches.get();
    }

    // ---- folders ----

    @Override
    public synchronized FolderRecord addFolder(Path folder) {
        write();
        Path p = norm(folder);
        for (FolderRecord f : folders.values()) {
            if (f.path().equals(p)) {
                return withCounts(f);
            }
        }
        FolderRecord f = new FolderRecord(nextFolderId++, p, Instant.now(), 0, 0);
        folders.put(f.id(), f);
        return f;
    }

    @Override
    public synchronized void removeFolder(long folderId) {
        write();
        folders.remove(folderId);
        List<Long> ids = images.values().stream().filter(i -> i.folderId() == folderId).map(ImageRecord::id).toList();
        deleteImagesInternal(ids);
    }

    @Override
    public synchronized List<FolderRecord> folders() {
        return folders.values().stream().map(this::withCounts).toList();
    }

    private FolderRecord withCounts(FolderRecord f) {
        long n = images.values().stream().filter(i -> i.folderId() == f.id()).count();
        long s = images.values().stream().filter(i -> i.folderId() == f.id() && i.status() == ImageStatus.SKIPPED).count();
        return new FolderRecord(f.id(), f.path(), f.addedAt(), n, s);
    }

    // ---- images ----

    @Override
    public synchronized Optional<ImageRecord> image(long id) {
        return Optional.ofNullable(images.get(id));
    }

    @Override
    public synchronized Optional<ImageRecord> imageByPath(Path path) {
        Long id = idByPath.get(norm(path));
        return id == null ? Optional.empty() : Optional.of(images.get(id));
    }

    @Override
    public synchronized List<ImageRecord> imagesInFolder(long folderId) {
        return images.values().stream().filter(i -> i.folderId() == folderId).toList();
    }

    @Override
    public synchronized List<ImageRecord> imagesByHash(String contentHash) {
        return images.values().stream().filter(i -> Objects.equals(i.contentHash(), contentHash)).toList();
    }

    @Override
    public synchronized ImageRecord upsertImage(ImageRecord image) {
        write();
        return upsert(image);
    }

    private ImageRecord upsert(ImageRecord image) {
        Path p = norm(image.path());
        Long existing = idByPath.get(p);
        long id;
        if (existing != null) {
            id = existing;
            ImageRecord old = images.get(id);
            boolean contentChanged = old.contentHash() != null && image.contentHash() != null
                    ? !old.contentHash().equals(image.contentHash())
                    : old.size() != image.size() || old.mtimeMillis() != image.mtimeMillis();
            if (contentChanged) {
                for (Map<Long, float[]> byId : embeddings.values()) {
                    byId.remove(id);
                }
                for (Map<Long, byte[]> byId : imageData.values()) {
                    byId.remove(id);
                }
            }
        } else {
            id = nextImageId++;
        }
        ImageRecord stored = new ImageRecord(id, image.folderId(), p, image.size(), image.mtimeMillis(),
                image.contentHash(), image.width(), image.height(), image.takenAt(), image.orientation(),
                image.status(), image.skipReason());
        images.put(id, stored);
        idByPath.put(p, id);
        return stored;
    }

    @Override
    public synchronized void moveImage(long id, long folderId, Path newPath, long size, long mtimeMillis) {
        write();
        ImageRecord old = images.get(id);
        if (old == null) {
            throw new OcularException("Cannot move image " + id + " to " + newPath + ": it is no longer in the catalog.");
        }
        Path p = norm(newPath);
        Long occupant = idByPath.get(p);
        if (occupant != null && occupant != id) {
            deleteImagesInternal(List.of(occupant));
        }
        idByPath.remove(old.path());
        ImageRecord moved = new ImageRecord(id, folderId, p, size, mtimeMillis, old.contentHash(), old.width(),
                old.height(), old.takenAt(), old.orientation(), old.status(), old.skipReason());
        images.put(id, moved);
        idByPath.put(p, id);
    }

    @Override
    public synchronized void deleteImages(Collection<Long> ids) {
        write();
        deleteImagesInternal(ids);
    }

    private void deleteImagesInternal(Collection<Long> ids) {
        for (Long id : ids) {
            ImageRecord r = images.remove(id);
            marks.imageDeleted(id);
            if (r != null) {
                idByPath.remove(r.path());
            }
            for (Map<Long, float[]> byId : embeddings.values()) {
                byId.remove(id);
            }
            for (Map<Long, byte[]> byId : imageData.values()) {
                byId.remove(id);
            }
        }
    }

    @Override
    public synchronized long countImages(ImageStatus status) {
        return images.values().stream().filter(i -> i.status() == status).count();
    }

    @Override
    public synchronized List<ImageRecord> skippedImages(int limit) {
        return images.values().stream().filter(i -> i.status() == ImageStatus.SKIPPED).limit(limit).toList();
    }

    /** Photos only: this fake keeps no moments of videos (the SQLite catalog's tests cover them). */
    @Override
    public synchronized List<ImageRecord> moments(long videoId) {
        return List.of();
    }

    // ---- models ----

    @Override
    public synchronized void registerModel(ModelInfo model) {
        write();
        ModelInfo old = models.get(model.id());
        if (old != null && (old.dimension() != model.dimension() || !Objects.equals(old.sha256(), model.sha256()))) {
            embeddings.remove(model.id());
        }
        models.put(model.id(), model);
    }

    @Override
    public synchronized List<ModelInfo> models() {
        return List.copyOf(models.values());
    }

    @Override
    public synchronized Optional<ModelInfo> model(String modelId) {
        return Optional.ofNullable(models.get(modelId));
    }

    @Override
    public synchronized Optional<String> activeModelId() {
        return Optional.ofNullable(activeModelId);
    }

    @Override
    public synchronized void setActiveModelId(String modelId) {
        write();
        activeModelId = modelId;
    }

    // ---- embeddings ----

    @Override
    public synchronized List<ImageRecord> commitBatch(List<ImageRecord> batch, String modelId, List<float[]> vectors) {
        write();
        if (batch.size() != vectors.size()) {
            throw new IllegalArgumentException("images and vectors differ in number");
        }
        ModelInfo model = models.get(modelId);
        boolean anyVector = vectors.stream().anyMatch(Objects::nonNull);
        if (model == null && anyVector) {
            throw new OcularException("Model '" + modelId + "' is not registered.");
        }
        for (float[] v : vectors) {
            if (v == null) {
                continue;
            }
            if (v.length != model.dimension()) {
                throw new OcularException("vector of dimension " + v.length + " for model " + modelId);
            }
            for (float x : v) {
                if (!Float.isFinite(x)) {
                    throw new OcularException("Model '" + modelId + "' produced an invalid vector");
                }
            }
        }
        List<ImageRecord> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            ImageRecord r = upsert(batch.get(i));
            float[] v = vectors.get(i);
            if (v != null) {
                embeddings.computeIfAbsent(modelId, k -> new HashMap<>()).put(r.id(), v.clone());
            }
            out.add(r);
        }
        batches.incrementAndGet();
        return out;
    }

    @Override
    public synchronized Optional<float[]> embedding(long imageId, String modelId) {
        float[] v = embeddings.getOrDefault(modelId, Map.of()).get(imageId);
        return Optional.ofNullable(v == null ? null : v.clone());
    }

    @Override
    public synchronized List<Long> imagesWithoutEmbedding(String modelId) {
        Map<Long, float[]> byId = embeddings.getOrDefault(modelId, Map.of());
        return images.values().stream()
                .filter(i -> i.status() == ImageStatus.INDEXED && !byId.containsKey(i.id()))
                .map(ImageRecord::id).toList();
    }

    @Override
    public synchronized EmbeddingMatrix loadEmbeddings(String modelId) {
        Map<Long, float[]> byId = new TreeMap<>(embeddings.getOrDefault(modelId, Map.of()));
        int dim = byId.isEmpty() ? (models.containsKey(modelId) ? models.get(modelId).dimension() : 0)
                : byId.values().iterator().next().length;
        long[] ids = new long[byId.size()];
        float[] data = new float[byId.size() * dim];
        int row = 0;
        for (Map.Entry<Long, float[]> e : byId.entrySet()) {
            ids[row] = e.getKey();
            System.arraycopy(e.getValue(), 0, data, row * dim, dim);
            row++;
        }
        return new EmbeddingMatrix(modelId, dim, ids, data);
    }

    @Override
    public synchronized long countEmbeddings(String modelId) {
        return embeddings.getOrDefault(modelId, Map.of()).size();
    }

    // ---- per-image data ----

    @Override
    public synchronized void putImageData(long imageId, String kind, byte[] data) {
        write();
        if (!images.containsKey(imageId)) {
            throw new IllegalArgumentException("no image " + imageId);
        }
        imageData.computeIfAbsent(kind, k -> new HashMap<>()).put(imageId, data.clone());
    }

    @Override
    public synchronized Optional<byte[]> imageData(long imageId, String kind) {
        byte[] d = imageData.getOrDefault(kind, Map.of()).get(imageId);
        return Optional.ofNullable(d == null ? null : d.clone());
    }

    @Override
    public synchronized void deleteImageData(String kind) {
        write();
        imageData.remove(kind);
    }

    @Override
    public synchronized long countImageData(String kind) {
        return imageData.getOrDefault(kind, Map.of()).size();
    }

    // ---- settings ----

    @Override
    public synchronized Optional<String> setting(String key) {
        return Optional.ofNullable(settings.get(key));
    }

    // ---- compose marks (not counted as the writer's writes: the window's compose panel keeps them) ----

    @Override
    public synchronized void putComposeMark(ComposeMark mark) {
        marks.put(mark, id -> image(id).isPresent());
    }

    @Override
    public synchronized boolean deleteComposeMark(String modelId, long referenceId, String modification, long targetId) {
        return marks.delete(modelId, referenceId, modification, targetId);
    }

    @Override
    public synchronized List<ComposeMark> composeMarks(String modelId) {
        return marks.list(modelId);
    }

    @Override
    public synchronized long countComposeMarks(String modelId, boolean relevant) {
        return marks.count(modelId, relevant);
    }

    @Override
    public synchronized int forgetComposeMarks(String modelId) {
        return marks.forget(modelId);
    }

    @Override
    public synchronized void putSetting(String key, String value) {
        write();
        if (value == null) {
            settings.remove(key);
        } else {
            settings.put(key, value);
        }
    }

    @Override
    public synchronized CatalogStats stats() {
        Map<String, Long> byModel = new HashMap<>();
        for (String id : models.keySet()) {
            byModel.put(id, (long) embeddings.getOrDefault(id, Map.of()).size());
        }
        Map<String, Long> byKind = new HashMap<>();
        imageData.forEach((k, v) -> byKind.put(k, (long) v.size()));
        return new CatalogStats(0, folders.size(), countImages(ImageStatus.PENDING),
                countImages(ImageStatus.INDEXED), countImages(ImageStatus.SKIPPED), byModel, byKind, 0);
    }

    @Override
    public synchronized void close() {
        closed = true;
    }
}

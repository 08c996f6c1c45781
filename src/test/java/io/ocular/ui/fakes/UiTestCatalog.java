package io.ocular.ui.fakes;

import io.ocular.model.ComposeMark;
import io.ocular.testing.InMemoryComposeMarks;
import io.ocular.model.FolderRecord;
import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import io.ocular.model.ModelInfo;
import io.ocular.store.Catalog;
import io.ocular.store.EmbeddingMatrix;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/** A small thread-safe in-memory catalog for the UI tests (the engine's own fake lives in io.ocular.testing). */
public final class UiTestCatalog implements Catalog {
    private final Map<Long, FolderRecord> folders = new ConcurrentSkipListMap<>();
    private final Map<Long, ImageRecord> images = new ConcurrentSkipListMap<>();
    private final Map<String, Map<Long, float[]>> vectors = new ConcurrentHashMap<>();
    private final Map<String, ModelInfo> models = new ConcurrentHashMap<>();
    private final Map<String, String> settings = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private volatile String active;
    private final InMemoryComposeMarks marks = new InMemoryComposeMarks();

    @Override
    public FolderRecord addFolder(Path folder) {
        Path p = folder.toAbsolutePath().normalize();
        for (FolderRecord f : folders.values()) {
            if (f.path().equals(p)) {
                return f;
            }
        }
        FolderRecord f = new FolderRecord(ids.incrementAndGet(), p, Instant.now(), 0, 0);
        folders.put(f.id(), f);
        return f;
    }

    /** Adds an indexed image with a vector of the active model. */
    public ImageRecord addImage(long folderId, Path path, float[] vector) {
        ImageRecord r = new ImageRecord(ids.incrementAndGet(), folderId, path, 1234, 0, "h" + path, 64, 48, null, 1,
                ImageStatus.INDEXED, null);
        images.put(r.id(), r);
        if (vector != null) {
            vectors.computeIfAbsent(active, k -> new ConcurrentHashMap<>()).put(r.id(), vector);
        }
        recount(folderId);
        return r;
    }

    /** Adds an indexed image with an EXIF date (or null) and a file time, for browsing by date. */
    public ImageRecord addPhoto(long folderId, Path path, float[] vector, Instant takenAt, long mtimeMillis) {
        ImageRecord r = new ImageRecord(ids.incrementAndGet(), folderId, path, 1234, mtimeMillis, "h" + path, 64, 48,
                takenAt, 1, ImageStatus.INDEXED, null);
        images.put(r.id(), r);
        if (vector != null) {
            vectors.computeIfAbsent(active, k -> new ConcurrentHashMap<>()).put(r.id(), vector);
        }
        recount(folderId);
        return r;
    }

    /** Adds many dated photos to one folder at once (counts are updated once, at the end). */
    public void addPhotos(long folderId, List<Path> paths, List<Instant> takenAt) {
        for (int i = 0; i < paths.size(); i++) {
            ImageRecord r = new ImageRecord(ids.incrementAndGet(), folderId, paths.get(i), 1234, 0, "h" + paths.get(i),
                    64, 48, takenAt.get(i), 1, ImageStatus.INDEXED, null);
            images.put(r.id(), r);
        }
        recount(folderId);
    }

    public void addSkipped(long folderId, Path path, String reason) {
        ImageRecord r = new ImageRecord(ids.incrementAndGet(), folderId, path, 1, 0, null, 0, 0, null, 1,
                ImageStatus.SKIPPED, reason);
        images.put(r.id(), r);
        recount(folderId);
    }

    private void recount(long folderId) {
        FolderRecord f = folders.get(folderId);
        if (f != null) {
            long n = images.values().stream().filter(i -> i.folderId() == folderId && i.status() == ImageStatus.INDEXED).count();
            long s = images.values().stream().filter(i -> i.folderId() == folderId && i.status() == ImageStatus.SKIPPED).count();
            folders.put(folderId, new FolderRecord(f.id(), f.path(), f.addedAt(), n, s));
        }
    }

    @Override
    public void removeFolder(long folderId) {
        folders.remove(folderId);
        images.values().removeIf(i -> i.folderId() == folderId);
    }

    @Override
    public List<FolderRecord> folders() {
        return List.copyOf(folders.values());
    }

    @Override
    public Optional<ImageRecord> image(long id) {
        return Optional.ofNullable(images.get(id));
    }

    @Override
    public Optional<ImageRecord> imageByPath(Path path) {
        return images.values().stream().filter(i -> i.path().equals(path)).findFirst();
    }

    @Override
    public List<ImageRecord> imagesInFolder(long folderId) {
        return images.values().stream().filter(i -> i.folderId() == folderId).toList();
    }

    @Override
    public List<ImageRecord> imagesByHash(String contentHash) {
        return images.values().stream().filter(i -> contentHash.equals(i.contentHash())).toList();
    }

    @Override
    public ImageRecord upsertImage(ImageRecord image) {
        ImageRecord r = image.id() == 0 ? image.withId(ids.incrementAndGet()) : image;
        images.put(r.id(), r);
        return r;
    }

    @Override
    public void moveImage(long id, long folderId, Path newPath, long size, long mtimeMillis) {
        throw new UnsupportedOperationException("not used by the UI");
    }

    @Override
    public void deleteImages(Collection<Long> ids) {
        ids.forEach(images::remove);
    }

    @Override
    public long countImages(ImageStatus status) {
        return images.values().stream().filter(i -> i.status() == status).count();
    }

    @Override
    public List<ImageRecord> skippedImages(int limit) {
        return images.values().stream().filter(i -> i.status() == ImageStatus.SKIPPED).limit(limit).toList();
    }

    /** Photos only: this fake keeps no moments of videos (the SQLite catalog's tests cover them). */
    @Override
    public List<ImageRecord> moments(long videoId) {
        return List.of();
    }

    @Override
    public void registerModel(ModelInfo model) {
        models.put(model.id(), model);
    }

    @Override
    public List<ModelInfo> models() {
        return List.copyOf(models.values());
    }

    @Override
    public Optional<ModelInfo> model(String modelId) {
        return Optional.ofNullable(models.get(modelId));
    }

    @Override
    public Optional<String> activeModelId() {
        return Optional.ofNullable(active);
    }

    @Override
    public void setActiveModelId(String modelId) {
        active = modelId;
    }

    @Override
    public List<ImageRecord> commitBatch(List<ImageRecord> batch, String modelId, List<float[]> vecs) {
        List<ImageRecord> out = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            ImageRecord r = upsertImage(batch.get(i));
            if (vecs.get(i) != null) {
                vectors.computeIfAbsent(modelId, k -> new ConcurrentHashMap<>()).put(r.id(), vecs.get(i));
            }
            out.add(r);
        }
        return out;
    }

    @Override
    public Optional<float[]> embedding(long imageId, String modelId) {
        return Optional.ofNullable(vectors.getOrDefault(modelId, Map.of()).get(imageId));
    }

    @Override
    public List<Long> imagesWithoutEmbedding(String modelId) {
        return images.keySet().stream().filter(id -> embedding(id, modelId).isEmpty()).toList();
    }

    @Override
    public EmbeddingMatrix loadEmbeddings(String modelId) {
        Map<Long, float[]> m = new java.util.TreeMap<>(vectors.getOrDefault(modelId, Map.of()));
        int d = m.values().stream().findFirst().map(v -> v.length).orElse(0);
        long[] idArr = new long[m.size()];
        float[] data = new float[m.size() * d];
        int i = 0;
        for (Map.Entry<Long, float[]> e : m.entrySet()) {
            idArr[i] = e.getKey();
            System.arraycopy(e.getValue(), 0, data, i * d, d);
            i++;
        }
        return new EmbeddingMatrix(modelId, d, idArr, data);
    }

    @Override
    public long countEmbeddings(String modelId) {
        return vectors.getOrDefault(modelId, Map.of()).size();
    }

    @Override
    public Optional<String> setting(String key) {
        return Optional.ofNullable(settings.get(key));
    }

    // ---- compose marks (not counted as the writer's writes: the window's compose panel keeps them) ----

    @Override
    public void putComposeMark(ComposeMark mark) {
        marks.put(mark, id -> image(id).isPresent());
    }

    @Override
    public boolean deleteComposeMark(String modelId, long referenceId, String modification, long targetId) {
        return marks.delete(modelId, referenceId, modification, targetId);
    }

    @Override
    public List<ComposeMark> composeMarks(String modelId) {
        return marks.list(modelId);
    }

    @Override
    public long countComposeMarks(String modelId, boolean relevant) {
        return marks.count(modelId, relevant);
    }

    @Override
    public int forgetComposeMarks(String modelId) {
        return marks.forget(modelId);
    }

    @Override
    public void putSetting(String key, String value) {
        settings.put(key, value);
    }

    private final Map<String, byte[]> data = new ConcurrentHashMap<>();

    @Override
    public void putImageData(long imageId, String kind, byte[] bytes) {
        data.put(kind + "/" + imageId, bytes.clone());
    }

    @Override
    public Optional<byte[]> imageData(long imageId, String kind) {
        return Optional.ofNullable(data.get(kind + "/" + imageId));
    }

    @Override
    public void deleteImageData(String kind) {
        data.keySet().removeIf(k -> k.startsWith(kind + "/"));
    }

    @Override
    public long countImageData(String kind) {
        return data.keySet().stream().filter(k -> k.startsWith(kind + "/")).count();
    }

    @Override
    public io.ocular.store.CatalogStats stats() {
        Map<String, Long> byModel = new java.util.HashMap<>();
        vectors.forEach((m, v) -> byModel.put(m, (long) v.size()));
        return new io.ocular.store.CatalogStats(1, folders.size(), countImages(ImageStatus.PENDING),
                countImages(ImageStatus.INDEXED), countImages(ImageStatus.SKIPPED), byModel, Map.of(), 0);
    }

    @Override
    public void close() {
    }
}

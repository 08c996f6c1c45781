package io.ocular.search;

import io.ocular.model.FolderRecord;
import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import io.ocular.model.ModelInfo;
import io.ocular.store.Catalog;
import io.ocular.store.EmbeddingMatrix;

import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Minimal in-memory catalog for the search tests: images and the vectors of one model. Methods the query
 * engine does not use throw, so a test that reaches them fails loudly.
 */
final class FakeCatalog implements Catalog {
    private final Map<Long, ImageRecord> images = new HashMap<>();
    private final Map<Long, float[]> vectors = new HashMap<>();
    private final String modelId;

    FakeCatalog(String modelId) {
        this.modelId = modelId;
    }

    ImageRecord put(long id, String path, float[] vector) {
        ImageRecord r = new ImageRecord(id, 1, Path.of(path).toAbsolutePath().normalize(), 1, 0, null, 0, 0, null,
                1, ImageStatus.values()[0], null);
        images.put(id, r);
        if (vector != null) {
            vectors.put(id, vector.clone());
        }
        return r;
    }

    void forget(long id) {
        images.remove(id);
        vectors.remove(id);
    }

    @Override
    public Optional<ImageRecord> image(long id) {
        return Optional.ofNullable(images.get(id));
    }

    @Override
    public Optional<ImageRecord> imageByPath(Path path) {
        return images.values().stream().filter(r -> r.path().equals(path)).findFirst();
    }

    @Override
    public Optional<float[]> embedding(long imageId, String model) {
        return model.equals(modelId) ? Optional.ofNullable(vectors.get(imageId)).map(float[]::clone) : Optional.empty();
    }

    private static UnsupportedOperationException unused() {
        return new UnsupportedOperationException("not used by the query engine");
    }

    @Override public FolderRecord addFolder(Path folder) { throw unused(); }
    @Override public void removeFolder(long folderId) { throw unused(); }
    @Override public List<FolderRecord> folders() { throw unused(); }
    @Override public List<ImageRecord> imagesInFolder(long folderId) { throw unused(); }
    @Override public List<ImageRecord> imagesByHash(String contentHash) { throw unused(); }
    @Override public ImageRecord upsertImage(ImageRecord image) { throw unused(); }
    @Override public void moveImage(long id, long folderId, Path newPath, long size, long mtimeMillis) { throw unused(); }
    @Override public void deleteImages(Collection<Long> ids) { throw unused(); }
    @Override public long countImages(ImageStatus status) { throw unused(); }
    @Override public List<ImageRecord> skippedImages(int limit) { throw unused(); }
    @Override public void registerModel(ModelInfo model) { throw unused(); }
    @Override public List<ModelInfo> models() { throw unused(); }
    @Override public Optional<ModelInfo> model(String id) { throw unused(); }
    @Override public Optional<String> activeModelId() { return Optional.of(modelId); }
    @Override public void setActiveModelId(String id) { throw unused(); }
    @Override public List<ImageRecord> commitBatch(List<ImageRecord> i, String m, List<float[]> v) { throw unused(); }
    @Override public List<Long> imagesWithoutEmbedding(String model) { throw unused(); }
    @Override public EmbeddingMatrix loadEmbeddings(String model) { throw unused(); }
    @Override public long countEmbeddings(String model) { return vectors.size(); }
    @Override public Optional<String> setting(String key) { throw unused(); }
    @Override public void putSetting(String key, String value) { throw unused(); }
    @Override public void close() { }
}

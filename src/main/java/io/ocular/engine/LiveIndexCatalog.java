package io.ocular.engine;

import io.ocular.model.ComposeMark;
import io.ocular.model.FolderRecord;
import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import io.ocular.model.ModelInfo;
import io.ocular.model.SearchScope;
import io.ocular.search.VectorIndex;
import io.ocular.store.Catalog;
import io.ocular.store.CatalogStats;
import io.ocular.store.EmbeddingMatrix;
import io.ocular.store.ServerVectors;
import io.ocular.store.WorkClaims;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link Catalog} decorator that keeps the in-memory {@link VectorIndex} of the active model in step with
 * what is committed: vectors of each committed batch are added once the transaction has succeeded, deleted
 * images (directly or with their folder) are removed. This way the indexing daemon, which only knows the
 * catalog, makes new photos searchable at once, and neither the daemon nor the store needs to know the index.
 */
final class LiveIndexCatalog implements Catalog {
    /** The active model's index; may change while the app runs (see {@link ActiveEngine}). */
    interface Target {
        /** The active model's index. */
        VectorIndex index();

        /** The index of {@code modelId} if that is the active model (atomically), else null. */
        VectorIndex indexOf(String modelId);
    }

    private final Catalog delegate;
    private final Target target;
    private final IndexLifecycleListener events;

    LiveIndexCatalog(Catalog delegate, String modelId, VectorIndex index) {
        this(delegate, fixed(Objects.requireNonNull(modelId, "modelId"), Objects.requireNonNull(index, "index")),
                new IndexLifecycleListener() { });
    }

    /**
     * @param events told after each change the index applied (see {@link IndexLifecycleListener})
     */
    LiveIndexCatalog(Catalog delegate, Target target, IndexLifecycleListener events) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.target = Objects.requireNonNull(target, "target");
        this.events = Objects.requireNonNull(events, "events");
    }

    private static Target fixed(String modelId, VectorIndex index) {
        return new Target() {
            @Override
            public VectorIndex index() {
                return index;
            }

            @Override
            public VectorIndex indexOf(String model) {
                return modelId.equals(model) ? index : null;
            }
        };
    }

    @Override
    public List<ImageRecord> commitBatch(List<ImageRecord> images, String model, List<float[]> vectors) {
        List<Long> oldMoments = momentsOfVideos(images);
        List<ImageRecord> stored = delegate.commitBatch(images, model, vectors);
        // a re-indexed or changed video's old moments are gone from the catalog (their ids may be reused at once)
        forgetMoments(oldMoments);
        VectorIndex index = target.indexOf(model); // another model's vectors (a run before a switch) stay in the catalog
        if (index != null) {
            List<Long> ids = new ArrayList<>(stored.size());
            List<float[]> added = new ArrayList<>(stored.size());
            for (int i = 0; i < stored.size() && i < vectors.size(); i++) {
                float[] v = vectors.get(i);
                if (v != null) {
                    // a null vector leaves any stored vector as it is (Catalog#commitBatch); so does the index
                    ids.add(stored.get(i).id());
                    added.add(v);
                }
            }
            if (!ids.isEmpty()) {
                index.addBatch(ids, added); // one write lock per batch: a search running meanwhile is waited for once
                events.vectorsAdded(model, List.copyOf(ids), List.copyOf(added));
            }
        }
        return stored;
    }

    /** Ids of the stored moments of the videos among {@code images} (which a commit may replace or drop). */
    private List<Long> momentsOfVideos(List<ImageRecord> images) {
        List<Long> out = new ArrayList<>();
        for (ImageRecord r : images) {
            if (!r.isMoment()) {
                delegate.imageByPath(r.path()).filter(old -> old.isVideoFile())
                        .ifPresent(old -> delegate.moments(old.id()).forEach(m -> out.add(m.id())));
            }
        }
        return out;
    }

    /** Removed before the batch's vectors are added: a new moment may have an old moment's id. */
    private void forgetMoments(List<Long> oldMoments) {
        if (oldMoments.isEmpty()) {
            return;
        }
        VectorIndex index = target.index();
        oldMoments.forEach(index::remove);
        events.vectorsRemoved(List.copyOf(oldMoments));
    }

    /** The ids with the moments of the videos among them (deleted with their video). */
    private List<Long> withMoments(Collection<Long> ids) {
        List<Long> out = new ArrayList<>(ids);
        for (ImageRecord r : delegate.images(ids).values()) {
            if (r.isVideoFile()) {
                delegate.moments(r.id()).forEach(m -> out.add(m.id()));
            }
        }
        return out;
    }

    @Override
    public void deleteImages(Collection<Long> ids) {
        List<Long> all = withMoments(ids);
        delegate.deleteImages(ids);
        VectorIndex index = target.index();
        all.forEach(index::remove);
        if (!all.isEmpty()) {
            events.vectorsRemoved(List.copyOf(all));
        }
    }

    @Override
    public void removeFolder(long folderId) {
        List<Long> gone = withMoments(delegate.imagesInFolder(folderId).stream().map(ImageRecord::id).toList());
        delegate.removeFolder(folderId);
        VectorIndex index = target.index();
        gone.forEach(index::remove);
        if (!gone.isEmpty()) {
            events.vectorsRemoved(gone);
        }
    }

    // ---- plain delegation ----------------------------------------------------------------------

    @Override
    public void forEachEmbedding(String modelId, EmbeddingSink sink) {
        delegate.forEachEmbedding(modelId, sink);
    }

    @Override
    public long[] embeddingIds(String modelId) {
        return delegate.embeddingIds(modelId);
    }

    @Override
    public FolderRecord addFolder(Path folder) {
        return delegate.addFolder(folder);
    }

    @Override
    public List<FolderRecord> folders() {
        return delegate.folders();
    }

    @Override
    public Optional<ImageRecord> image(long id) {
        return delegate.image(id);
    }

    @Override
    public Map<Long, ImageRecord> images(Collection<Long> ids) {
        return delegate.images(ids);
    }

    @Override
    public Optional<ImageRecord> imageByPath(Path path) {
        return delegate.imageByPath(path);
    }

    @Override
    public List<ImageRecord> imagesInFolder(long folderId) {
        return delegate.imagesInFolder(folderId);
    }

    @Override
    public List<ImageRecord> imagesByHash(String contentHash) {
        return delegate.imagesByHash(contentHash);
    }

    @Override
    public ImageRecord upsertImage(ImageRecord image) {
        return delegate.upsertImage(image);
    }

    @Override
    public void moveImage(long id, long folderId, Path newPath, long size, long mtimeMillis) {
        delegate.moveImage(id, folderId, newPath, size, mtimeMillis);
    }

    @Override
    public long countImages(ImageStatus status) {
        return delegate.countImages(status);
    }

    @Override
    public List<ImageRecord> skippedImages(int limit) {
        return delegate.skippedImages(limit);
    }

    @Override
    public List<ImageRecord> moments(long videoId) {
        return delegate.moments(videoId);
    }

    @Override
    public void registerModel(ModelInfo model) {
        delegate.registerModel(model);
    }

    @Override
    public List<ModelInfo> models() {
        return delegate.models();
    }

    @Override
    public Optional<ModelInfo> model(String id) {
        return delegate.model(id);
    }

    @Override
    public Optional<String> activeModelId() {
        return delegate.activeModelId();
    }

    @Override
    public void setActiveModelId(String id) {
        delegate.setActiveModelId(id);
    }

    @Override
    public Optional<float[]> embedding(long imageId, String model) {
        return delegate.embedding(imageId, model);
    }

    @Override
    public List<Long> imagesWithoutEmbedding(String model) {
        return delegate.imagesWithoutEmbedding(model);
    }

    @Override
    public EmbeddingMatrix loadEmbeddings(String model) {
        return delegate.loadEmbeddings(model);
    }

    @Override
    public long countEmbeddings(String model) {
        return delegate.countEmbeddings(model);
    }

    @Override
    public BitSet imageIdsIn(SearchScope scope) {
        return delegate.imageIdsIn(scope);
    }

    @Override
    public List<Long> imagesWithoutImageData(String kind) {
        return delegate.imagesWithoutImageData(kind);
    }

    @Override
    public void putImageData(long imageId, String kind, byte[] data) {
        delegate.putImageData(imageId, kind, data);
    }

    @Override
    public Optional<byte[]> imageData(long imageId, String kind) {
        return delegate.imageData(imageId, kind);
    }

    @Override
    public void deleteImageData(String kind) {
        delegate.deleteImageData(kind);
    }

    @Override
    public long countImageData(String kind) {
        return delegate.countImageData(kind);
    }

    @Override
    public Optional<String> setting(String key) {
        return delegate.setting(key);
    }

    @Override
    public void putComposeMark(ComposeMark mark) {
        delegate.putComposeMark(mark);
    }

    @Override
    public boolean deleteComposeMark(String modelId, long referenceId, String modification, long targetId) {
        return delegate.deleteComposeMark(modelId, referenceId, modification, targetId);
    }

    @Override
    public List<ComposeMark> composeMarks(String modelId) {
        return delegate.composeMarks(modelId);
    }

    @Override
    public long countComposeMarks(String modelId, boolean relevant) {
        return delegate.countComposeMarks(modelId, relevant);
    }

    @Override
    public int forgetComposeMarks(String modelId) {
        return delegate.forgetComposeMarks(modelId);
    }

    @Override
    public void putSetting(String key, String value) {
        delegate.putSetting(key, value);
    }

    @Override
    public CatalogStats stats() {
        return delegate.stats();
    }

    @Override
    public WorkClaims claims() {
        return delegate.claims();
    }

    @Override
    public Optional<ServerVectors> serverVectors() {
        return delegate.serverVectors();
    }

    @Override
    public boolean reachable() {
        return delegate.reachable();
    }

    @Override
    public String describeLocation() {
        return delegate.describeLocation();
    }

    @Override
    public void close() {
        delegate.close();
    }
}

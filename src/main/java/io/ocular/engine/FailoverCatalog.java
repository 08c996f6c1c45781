package io.ocular.engine;

import io.ocular.model.ComposeMark;
import io.ocular.model.FolderRecord;
import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import io.ocular.model.ModelInfo;
import io.ocular.model.SearchScope;
import io.ocular.model.StorageException;
import io.ocular.search.ExactIndex;
import io.ocular.search.ScanPool;
import io.ocular.search.VectorIndex;
import io.ocular.store.Catalog;
import io.ocular.store.CatalogStats;
import io.ocular.store.EmbeddingMatrix;
import io.ocular.store.ServerVectors;
import io.ocular.store.WorkClaims;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.BitSet;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A shared library that keeps answering reads while its server is away: each read goes to the server, and when
 * that fails because the server cannot be reached, to this computer's copy of the library ({@link LibrarySnapshot},
 * refreshed by {@link #refreshCopy} while the server is there). Writes always go to the server (they fail while it
 * is away, and the indexer pauses on that; see {@code index.StorageGuard}). Searches of a pgvector library fall
 * back to an exact index over the copy's vectors ({@link #offlineIndex}). Nothing is merged or written back from
 * the copy: the server stays the one truth (docs/decisions/0280-postgresql-catalog.md).
 */
final class FailoverCatalog implements Catalog {
    private static final Logger LOG = LoggerFactory.getLogger(FailoverCatalog.class);

    private final Catalog primary;
    private final Path copyFile;
    private final Clock clock;
    private final Object lock = new Object();
    private OfflineCatalog offline; // loaded from copyFile when first needed
    private VectorIndex offlineIndex;
    private String copiedSignature;
    private volatile boolean away;

    FailoverCatalog(Catalog primary, Path copyFile, Clock clock) {
        this.primary = Objects.requireNonNull(primary, "primary");
        this.copyFile = Objects.requireNonNull(copyFile, "copyFile");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Whether the last read found the server away (and answered from the copy, if there is one). */
    boolean away() {
        return away;
    }

    /** What a search answered from the copy says, or null while the server answers. */
    String awayNotice() {
        if (!away) {
            return null;
        }
        Optional<OfflineCatalog> copy = copy();
        return copy.map(c -> "the library server is away: results from this computer's copy of the library (from "
                + c.copiedAt() + ")").orElse(null);
    }

    private <T> T read(Function<Catalog, T> query) {
        try {
            T result = query.apply(primary);
            away = false;
            return result;
        } catch (StorageException e) {
            if (e.problem() != StorageException.Problem.UNREACHABLE) {
                throw e;
            }
            away = true;
            Optional<OfflineCatalog> copy = copy();
            if (copy.isEmpty()) {
                throw e;
            }
            return query.apply(copy.get());
        }
    }

    /** The copy in the data folder, loaded once; empty when there is none (or it is damaged). */
    private Optional<OfflineCatalog> copy() {
        synchronized (lock) {
            if (offline == null && Files.isRegularFile(copyFile)) {
                try {
                    offline = new OfflineCatalog(LibrarySnapshot.read(copyFile));
                    LOG.info("the library server is away: reading this computer's copy {}", copyFile);
                } catch (IOException e) {
                    LOG.warn("this computer's copy of the library {} cannot be read: {}", copyFile, e.getMessage());
                }
            }
            return Optional.ofNullable(offline);
        }
    }

    /**
     * An exact index over the copy's vectors of {@code model}, for searches while the server is away; null when
     * there is no copy of that model's vectors.
     */
    VectorIndex offlineIndex(ModelInfo model, ScanPool pool) {
        Optional<OfflineCatalog> copy = copy();
        synchronized (lock) {
            if (copy.isEmpty() || copy.get().model(model.id()).isEmpty()
                    || copy.get().model(model.id()).get().dimension() != model.dimension()) {
                return null;
            }
            if (offlineIndex == null) {
                offlineIndex = ExactIndex.of(copy.get().loadEmbeddings(model.id()), pool);
            }
            return offlineIndex;
        }
    }

    /**
     * Writes this computer's copy of the library again when the server's library has changed since the last copy
     * (folders, photos, vectors of {@code model} counted); a no-op while the server is away.
     *
     * @return whether a new copy was written
     */
    boolean refreshCopy(ModelInfo model) {
        try {
            String signature = primary.folders().size() + "/" + primary.countImages(ImageStatus.INDEXED) + "/"
                    + primary.countImages(ImageStatus.SKIPPED) + "/" + primary.countEmbeddings(model.id()) + "/"
                    + model.id();
            synchronized (lock) {
                if (signature.equals(copiedSignature) && Files.isRegularFile(copyFile)) {
                    return false;
                }
            }
            LibrarySnapshot snapshot = LibrarySnapshot.of(primary, model, clock.instant());
            snapshot.write(copyFile);
            synchronized (lock) {
                copiedSignature = signature;
                offline = null; // read again when needed
                offlineIndex = null;
            }
            LOG.info("wrote this computer's copy of the library: {} images, {} vectors", snapshot.images().size(),
                    snapshot.vectors().rows());
            return true;
        } catch (StorageException e) {
            LOG.debug("the library copy waits for the server: {}", e.getMessage());
            return false;
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not write this computer's copy of the library {}: {}", copyFile, e.toString());
            return false;
        }
    }

    @Override
    public String describeLocation() {
        return away ? primary.describeLocation() + " (the server is away: reading this computer's copy)"
                : primary.describeLocation();
    }

    @Override
    public void close() {
        primary.close();
    }

    // ---- reads: the server, else this computer's copy ------------------------------------------

    @Override
    public List<FolderRecord> folders() {
        return read(c -> c.folders());
    }

    @Override
    public Optional<ImageRecord> image(long id) {
        return read(c -> c.image(id));
    }

    @Override
    public Map<Long, ImageRecord> images(Collection<Long> ids) {
        return read(c -> c.images(ids));
    }

    @Override
    public Optional<ImageRecord> imageByPath(Path path) {
        return read(c -> c.imageByPath(path));
    }

    @Override
    public List<ImageRecord> imagesInFolder(long folderId) {
        return read(c -> c.imagesInFolder(folderId));
    }

    @Override
    public BitSet imageIdsIn(SearchScope scope) {
        return read(c -> c.imageIdsIn(scope));
    }

    @Override
    public List<ImageRecord> imagesByHash(String contentHash) {
        return read(c -> c.imagesByHash(contentHash));
    }

    @Override
    public long countImages(ImageStatus status) {
        return read(c -> c.countImages(status));
    }

    @Override
    public List<ImageRecord> skippedImages(int limit) {
        return read(c -> c.skippedImages(limit));
    }

    @Override
    public List<ImageRecord> moments(long videoId) {
        return read(c -> c.moments(videoId));
    }

    @Override
    public List<ModelInfo> models() {
        return read(c -> c.models());
    }

    @Override
    public Optional<ModelInfo> model(String modelId) {
        return read(c -> c.model(modelId));
    }

    @Override
    public Optional<String> activeModelId() {
        return read(c -> c.activeModelId());
    }

    @Override
    public Optional<float[]> embedding(long imageId, String modelId) {
        return read(c -> c.embedding(imageId, modelId));
    }

    @Override
    public List<Long> imagesWithoutEmbedding(String modelId) {
        return read(c -> c.imagesWithoutEmbedding(modelId));
    }

    @Override
    public EmbeddingMatrix loadEmbeddings(String modelId) {
        return read(c -> c.loadEmbeddings(modelId));
    }

    @Override
    public long countEmbeddings(String modelId) {
        return read(c -> c.countEmbeddings(modelId));
    }

    @Override
    public long[] embeddingIds(String modelId) {
        return read(c -> c.embeddingIds(modelId));
    }

    @Override
    public Optional<byte[]> imageData(long imageId, String kind) {
        return read(c -> c.imageData(imageId, kind));
    }

    @Override
    public long countImageData(String kind) {
        return read(c -> c.countImageData(kind));
    }

    @Override
    public List<Long> imagesWithoutImageData(String kind) {
        return read(c -> c.imagesWithoutImageData(kind));
    }

    @Override
    public Map<String, Long> countIndexedBy(Function<Path, String> label) {
        return read(c -> c.countIndexedBy(label));
    }

    @Override
    public Optional<String> setting(String key) {
        return read(c -> c.setting(key));
    }

    @Override
    public CatalogStats stats() {
        return read(c -> c.stats());
    }

    // ---- writes (and what only the server knows) go to the server --------------------------------

    @Override
    public FolderRecord addFolder(Path folder) {
        return primary.addFolder(folder);
    }

    @Override
    public void removeFolder(long folderId) {
        primary.removeFolder(folderId);
    }

    @Override
    public ImageRecord upsertImage(ImageRecord image) {
        return primary.upsertImage(image);
    }

    @Override
    public void moveImage(long id, long folderId, Path newPath, long size, long mtimeMillis) {
        primary.moveImage(id, folderId, newPath, size, mtimeMillis);
    }

    @Override
    public void deleteImages(Collection<Long> ids) {
        primary.deleteImages(ids);
    }

    @Override
    public void registerModel(ModelInfo model) {
        primary.registerModel(model);
    }

    @Override
    public void setActiveModelId(String modelId) {
        primary.setActiveModelId(modelId);
    }

    @Override
    public List<ImageRecord> commitBatch(List<ImageRecord> images, String modelId, List<float[]> vectors) {
        return primary.commitBatch(images, modelId, vectors);
    }

    @Override
    public void forEachEmbedding(String modelId, EmbeddingSink sink) {
        primary.forEachEmbedding(modelId, sink);
    }

    @Override
    public void putImageData(long imageId, String kind, byte[] data) {
        primary.putImageData(imageId, kind, data);
    }

    @Override
    public void deleteImageData(String kind) {
        primary.deleteImageData(kind);
    }

    @Override
    public void putComposeMark(ComposeMark mark) {
        primary.putComposeMark(mark);
    }

    @Override
    public boolean deleteComposeMark(String modelId, long referenceId, String modification, long targetId) {
        return primary.deleteComposeMark(modelId, referenceId, modification, targetId);
    }

    @Override
    public List<ComposeMark> composeMarks(String modelId) {
        return read(c -> c.composeMarks(modelId));
    }

    @Override
    public long countComposeMarks(String modelId, boolean relevant) {
        return read(c -> c.countComposeMarks(modelId, relevant));
    }

    @Override
    public int forgetComposeMarks(String modelId) {
        return primary.forgetComposeMarks(modelId);
    }

    @Override
    public void putSetting(String key, String value) {
        primary.putSetting(key, value);
    }

    @Override
    public WorkClaims claims() {
        return primary.claims();
    }

    @Override
    public Optional<ServerVectors> serverVectors() {
        return primary.serverVectors();
    }

    @Override
    public boolean reachable() {
        return primary.reachable();
    }
}

package io.ocular.search.local;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Local feature blobs in memory (evaluation, tests). */
public final class InMemoryLocalFeatureStore implements LocalFeatureStore {
    private final Map<Long, byte[]> blobs = new ConcurrentHashMap<>();

    @Override
    public void put(long imageId, byte[] blob) {
        blobs.put(imageId, blob.clone());
    }

    @Override
    public Optional<byte[]> get(long imageId) {
        byte[] b = blobs.get(imageId);
        return Optional.ofNullable(b == null ? null : b.clone());
    }

    @Override
    public long count() {
        return blobs.size();
    }

    /** Total bytes stored. */
    public long bytes() {
        return blobs.values().stream().mapToLong(b -> b.length).sum();
    }
}

package io.ocular.search.local;

import java.util.Optional;

/** Where compressed local features live, one blob per image (the catalog in the app, a map in tests/eval). */
public interface LocalFeatureStore {

    void put(long imageId, byte[] blob);

    Optional<byte[]> get(long imageId);

    long count();
}

package io.ocular.search.local;

import io.ocular.store.Catalog;

import java.util.Optional;

/** Local feature blobs in the catalog's per-image data table, under one data kind. */
public final class CatalogLocalFeatureStore implements LocalFeatureStore {
    /** Catalog data kind; bump the suffix when the blob format or the projection changes incompatibly. */
    public static final String KIND = "local-features-v1";

    private final Catalog catalog;

    public CatalogLocalFeatureStore(Catalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public void put(long imageId, byte[] blob) {
        catalog.putImageData(imageId, KIND, blob);
    }

    @Override
    public Optional<byte[]> get(long imageId) {
        return catalog.imageData(imageId, KIND);
    }

    @Override
    public long count() {
        return catalog.countImageData(KIND);
    }
}

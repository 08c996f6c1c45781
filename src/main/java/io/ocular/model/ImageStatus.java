package io.ocular.model;

/** Where an image file stands in the catalog. */
public enum ImageStatus {
    /** Known on disk, not yet embedded with the active model. */
    PENDING,
    /** Decoded and embedded. */
    INDEXED,
    /** Could not be used (corrupt, unreadable, not an image, ...); see the skip reason. */
    SKIPPED
}

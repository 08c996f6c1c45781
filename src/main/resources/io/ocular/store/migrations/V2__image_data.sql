-- Ocular catalog, schema version 2: generic derived per-image data (DELF local features, compact
-- codes, ...), one opaque BLOB per (image, kind). Dropped with its image.

CREATE TABLE image_data (
    image_id  INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    kind      TEXT    NOT NULL,
    data      BLOB    NOT NULL,
    PRIMARY KEY (image_id, kind)
);

-- countImageData(kind) / deleteImageData(kind) work on one kind at a time.
CREATE INDEX image_data_kind ON image_data(kind, image_id);

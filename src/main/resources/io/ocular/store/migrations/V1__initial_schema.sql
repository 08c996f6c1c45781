-- Ocular catalog, schema version 1: the initial schema.
-- Applied by io.ocular.store.Migrations inside one transaction together with PRAGMA user_version = 1.
-- Times are milliseconds since the epoch (UTC). Paths are normalised absolute paths, stored verbatim
-- (no Unicode normalisation) so that they round-trip exactly.

CREATE TABLE folders (
    id        INTEGER PRIMARY KEY,
    path      TEXT    NOT NULL UNIQUE,
    added_at  INTEGER NOT NULL
);

CREATE TABLE images (
    id            INTEGER PRIMARY KEY,
    folder_id     INTEGER NOT NULL REFERENCES folders(id) ON DELETE CASCADE,
    path          TEXT    NOT NULL UNIQUE,
    size          INTEGER NOT NULL,
    mtime         INTEGER NOT NULL,
    content_hash  TEXT,
    width         INTEGER NOT NULL DEFAULT 0,
    height        INTEGER NOT NULL DEFAULT 0,
    taken_at      INTEGER,
    orientation   INTEGER NOT NULL DEFAULT 1,
    status        TEXT    NOT NULL CHECK (status IN ('PENDING', 'INDEXED', 'SKIPPED')),
    skip_reason   TEXT
);

-- imagesInFolder and the per-folder image/skipped counts.
CREATE INDEX images_folder ON images(folder_id, status);
CREATE INDEX images_content_hash ON images(content_hash);
CREATE INDEX images_status ON images(status);

CREATE TABLE models (
    id         TEXT    PRIMARY KEY,
    name       TEXT    NOT NULL,
    kind       TEXT    NOT NULL CHECK (kind IN ('IMAGE', 'TEXT', 'IMAGE_TEXT')),
    dimension  INTEGER NOT NULL CHECK (dimension > 0),
    sha256     TEXT
);

-- vector: float32 little-endian, dimension * 4 bytes (see SqliteCatalog).
CREATE TABLE embeddings (
    image_id  INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    model_id  TEXT    NOT NULL REFERENCES models(id) ON DELETE CASCADE,
    vector    BLOB    NOT NULL,
    PRIMARY KEY (image_id, model_id)
);

-- loadEmbeddings / countEmbeddings read one model's vectors in image-id order.
CREATE INDEX embeddings_model ON embeddings(model_id, image_id);

CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);

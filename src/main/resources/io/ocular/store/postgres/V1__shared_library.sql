-- Ocular shared library on PostgreSQL, schema version 1 (see docs/decisions/0280-postgresql-catalog.md).
-- Applied by io.ocular.store.PostgresMigrations in one transaction, under an advisory lock, together with the
-- version row. Append-only: a released script is never edited. Times are milliseconds since the epoch (UTC)
-- except lease ends, which are the server's timestamptz (every computer uses the server's clock).

-- Library roots: named, each computer reaches one through its own mount path (folder_mounts); first_path is
-- where the computer that added it saw it, used where a computer has no mount of its own.
CREATE TABLE folders (
    id          BIGSERIAL PRIMARY KEY,
    name        TEXT   NOT NULL UNIQUE,
    first_path  TEXT   NOT NULL,
    added_at    BIGINT NOT NULL
);

CREATE TABLE folder_mounts (
    folder_id  BIGINT NOT NULL REFERENCES folders(id) ON DELETE CASCADE,
    computer   TEXT   NOT NULL,
    path       TEXT   NOT NULL,
    PRIMARY KEY (folder_id, computer)
);

-- A photo is its root + its path relative to the root ('/'-separated) + its content hash.
CREATE TABLE images (
    id            BIGSERIAL PRIMARY KEY,
    folder_id     BIGINT  NOT NULL REFERENCES folders(id) ON DELETE CASCADE,
    rel_path      TEXT    NOT NULL,
    size          BIGINT  NOT NULL,
    mtime         BIGINT  NOT NULL,
    content_hash  TEXT,
    width         INTEGER NOT NULL DEFAULT 0,
    height        INTEGER NOT NULL DEFAULT 0,
    taken_at      BIGINT,
    orientation   INTEGER NOT NULL DEFAULT 1,
    status        TEXT    NOT NULL CHECK (status IN ('PENDING', 'INDEXED', 'SKIPPED')),
    skip_reason   TEXT,
    UNIQUE (folder_id, rel_path)
);
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

-- vector: float32 little-endian, dimension * 4 bytes, exactly as in the SQLite catalog (bit for bit). Where the
-- server has pgvector, PostgresVectors adds a pgvector column and per-model HNSW indexes beside it.
CREATE TABLE embeddings (
    image_id  BIGINT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    model_id  TEXT   NOT NULL REFERENCES models(id) ON DELETE CASCADE,
    vector    BYTEA  NOT NULL,
    PRIMARY KEY (image_id, model_id)
);
CREATE INDEX embeddings_model ON embeddings(model_id, image_id);

CREATE TABLE image_data (
    image_id  BIGINT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    kind      TEXT   NOT NULL,
    data      BYTEA  NOT NULL,
    PRIMARY KEY (image_id, kind)
);
CREATE INDEX image_data_kind ON image_data(kind, image_id);

CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);

-- Indexing work in flight: a computer claims files (SELECT ... FOR UPDATE SKIP LOCKED), embeds them and ends
-- the claim in the transaction that commits them. A crashed computer's claims are taken over once lease_until
-- has passed.
CREATE TABLE claims (
    folder_id    BIGINT      NOT NULL REFERENCES folders(id) ON DELETE CASCADE,
    rel_path     TEXT        NOT NULL,
    owner        TEXT        NOT NULL,
    lease_until  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (folder_id, rel_path)
);

-- Ocular catalog, schema version 3: videos and their moments (decision 0140).
-- A video file has one row like a photo (its status, skip reason, size, mtime, content hash), with duration_ms
-- set and no vector. Each of its moments (a representative frame) is a row of its own with the video's path,
-- video_id pointing at the video's row, frame_ms its time from the start, and the moment's vector in
-- embeddings. Moments go with their video (ON DELETE CASCADE). Photos: video_id, frame_ms, duration_ms NULL.
--
-- SQLite cannot relax the UNIQUE(path) column constraint in place, so the table is rebuilt (the documented
-- "create, copy, drop, rename" procedure; Migrations runs every script with foreign keys off and checks them
-- before committing). Ids are copied, so vectors and derived data keep pointing at their rows.

CREATE TABLE images_v3 (
    id            INTEGER PRIMARY KEY,
    folder_id     INTEGER NOT NULL REFERENCES folders(id) ON DELETE CASCADE,
    path          TEXT    NOT NULL,
    size          INTEGER NOT NULL,
    mtime         INTEGER NOT NULL,
    content_hash  TEXT,
    width         INTEGER NOT NULL DEFAULT 0,
    height        INTEGER NOT NULL DEFAULT 0,
    taken_at      INTEGER,
    orientation   INTEGER NOT NULL DEFAULT 1,
    status        TEXT    NOT NULL CHECK (status IN ('PENDING', 'INDEXED', 'SKIPPED')),
    skip_reason   TEXT,
    video_id      INTEGER REFERENCES images(id) ON DELETE CASCADE,
    frame_ms      INTEGER CHECK (frame_ms IS NULL OR frame_ms >= 0),
    duration_ms   INTEGER CHECK (duration_ms IS NULL OR duration_ms > 0),
    CHECK ((video_id IS NULL) = (frame_ms IS NULL))
);

INSERT INTO images_v3 (id, folder_id, path, size, mtime, content_hash, width, height, taken_at, orientation,
                       status, skip_reason)
    SELECT id, folder_id, path, size, mtime, content_hash, width, height, taken_at, orientation, status, skip_reason
    FROM images;

DROP TABLE images;
ALTER TABLE images_v3 RENAME TO images;

-- One row per file (photos and videos); moments are unique per (video, time).
CREATE UNIQUE INDEX images_path ON images(path) WHERE video_id IS NULL;
CREATE UNIQUE INDEX images_moment ON images(video_id, frame_ms) WHERE video_id IS NOT NULL;
-- Path ranges (a search within folders) over files and moments alike.
CREATE INDEX images_by_path ON images(path);
CREATE INDEX images_folder ON images(folder_id, status);
CREATE INDEX images_content_hash ON images(content_hash);
CREATE INDEX images_status ON images(status);

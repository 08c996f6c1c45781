-- Ocular shared library, schema version 2: videos and their moments (decision 0140), as in the SQLite catalog's V3.
-- A video file has one row like a photo, with duration_ms set and no vector. Each of its moments (a representative
-- frame) is a row of its own with the video's folder and relative path, video_id pointing at the video's row,
-- frame_ms its time from the start, and the moment's vector in embeddings. Moments go with their video
-- (ON DELETE CASCADE). Photos: video_id, frame_ms, duration_ms NULL.
ALTER TABLE images ADD COLUMN video_id BIGINT REFERENCES images(id) ON DELETE CASCADE;
ALTER TABLE images ADD COLUMN frame_ms BIGINT CHECK (frame_ms IS NULL OR frame_ms >= 0);
ALTER TABLE images ADD COLUMN duration_ms BIGINT CHECK (duration_ms IS NULL OR duration_ms > 0);
ALTER TABLE images ADD CONSTRAINT images_moment_has_time CHECK ((video_id IS NULL) = (frame_ms IS NULL));

-- One row per file (photos and videos); moments are unique per (video, time).
ALTER TABLE images DROP CONSTRAINT images_folder_id_rel_path_key;
CREATE UNIQUE INDEX images_file ON images(folder_id, rel_path) WHERE video_id IS NULL;
CREATE UNIQUE INDEX images_moment ON images(video_id, frame_ms) WHERE video_id IS NOT NULL;
CREATE INDEX images_by_path ON images(folder_id, rel_path);

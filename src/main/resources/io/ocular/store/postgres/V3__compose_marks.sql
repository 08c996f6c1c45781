-- Ocular shared library on PostgreSQL, schema version 3: the users' relevant / not-relevant marks on
-- composed-search results (decision 0160, issue 19), as in the SQLite catalog's V4. One row per
-- (model, reference, words, target); marks go with their images and their model; "forget my compose history"
-- deletes them. Times are milliseconds since the epoch (UTC).
CREATE TABLE compose_marks (
    id            BIGSERIAL PRIMARY KEY,
    model_id      TEXT             NOT NULL REFERENCES models(id) ON DELETE CASCADE,
    reference_id  BIGINT           NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    modification  TEXT             NOT NULL CHECK (length(modification) > 0),
    target_id     BIGINT           NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    relevant      BOOLEAN          NOT NULL,
    weight        DOUBLE PRECISION NOT NULL CHECK (weight >= 0 AND weight <= 1),
    marked_at     BIGINT           NOT NULL,
    UNIQUE (model_id, reference_id, modification, target_id)
);
CREATE INDEX compose_marks_model ON compose_marks(model_id, relevant);
CREATE INDEX compose_marks_reference ON compose_marks(reference_id);
CREATE INDEX compose_marks_target ON compose_marks(target_id);

-- Ocular catalog, schema version 4: the user's relevant / not-relevant marks on composed-search results
-- (decision 0160, issue 19). A relevant mark (reference, words, target) is a training triplet of the personal
-- Combiner of that model; a not-relevant one a negative for the same reference and words. One row per
-- (model, reference, words, target): marking again replaces the verdict. Marks go with their images and their
-- model (ON DELETE CASCADE) and never leave the catalog; "forget my compose history" deletes them.
CREATE TABLE compose_marks (
    id            INTEGER PRIMARY KEY,
    model_id      TEXT    NOT NULL REFERENCES models(id) ON DELETE CASCADE,
    reference_id  INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    modification  TEXT    NOT NULL CHECK (length(modification) > 0),
    target_id     INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    relevant      INTEGER NOT NULL CHECK (relevant IN (0, 1)),
    weight        REAL    NOT NULL CHECK (weight >= 0 AND weight <= 1),
    marked_at     INTEGER NOT NULL,
    UNIQUE (model_id, reference_id, modification, target_id)
);
CREATE INDEX compose_marks_model ON compose_marks(model_id, relevant);
CREATE INDEX compose_marks_reference ON compose_marks(reference_id);
CREATE INDEX compose_marks_target ON compose_marks(target_id);

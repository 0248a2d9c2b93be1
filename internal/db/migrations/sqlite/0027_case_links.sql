-- +goose Up
-- Links between cases and a lawyer record linked to a detainee record
-- (issue 25, item 2; docs/case-records.md "Linked cases").
-- A link is stored once (case_id -> other_case_id) and shown from both
-- cases. Kinds: same_proceedings and related read the same both ways;
-- lawyer_detained is directional: a lawyer of case_id is the detainee of
-- other_case_id. One link of a kind per pair of cases (the service also
-- refuses the reverse of a same_proceedings or related link).
CREATE TABLE case_links (
    id             TEXT PRIMARY KEY,
    case_id        TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    other_case_id  TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    kind           TEXT NOT NULL,
    note           TEXT NOT NULL DEFAULT '',
    version        BIGINT NOT NULL DEFAULT 1,
    created_by     TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    CHECK (case_id <> other_case_id)
);
CREATE UNIQUE INDEX case_links_pair_idx ON case_links (case_id, other_case_id, kind);
CREATE INDEX case_links_other_idx ON case_links (other_case_id, id);

-- The detainee record that is this lawyer (a lawyer who became a detainee).
-- No REFERENCES here: SQLite cannot drop a column used in a foreign key
-- (the Down step); the service clears it when the detainee is deleted or
-- merged, as the PostgreSQL ON DELETE SET NULL does.
ALTER TABLE lawyers ADD COLUMN detainee_id TEXT;
CREATE INDEX lawyers_detainee_idx ON lawyers (detainee_id);

-- +goose Down
DROP INDEX lawyers_detainee_idx;
ALTER TABLE lawyers DROP COLUMN detainee_id;
DROP INDEX case_links_other_idx;
DROP INDEX case_links_pair_idx;
DROP TABLE case_links;

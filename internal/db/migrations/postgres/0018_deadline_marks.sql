-- +goose Up
-- The marks of stale cases become an append-only queue (issue 21). With one
-- row per case that every writer upserted, two writers of one case took its
-- mark and the audit chain head in opposite orders and PostgreSQL broke the
-- deadlock by failing one (3,795 of 117,601 requests of the 10-minute mix).
-- A writer now only inserts a row: it never waits for another writer or for
-- the refresh. A refresh deletes the rows it read; a mark made meanwhile is
-- a new row and stays.
CREATE TABLE deadline_marks (
    id      BIGSERIAL PRIMARY KEY,
    case_id TEXT NOT NULL
);
INSERT INTO deadline_marks (case_id) SELECT case_id FROM deadline_dirty;

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION deadline_mark(id TEXT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO deadline_marks (case_id) VALUES (id);
$$;
-- +goose StatementEnd
DROP TABLE deadline_dirty;
DROP SEQUENCE deadline_dirty_token;

-- +goose Down
CREATE SEQUENCE deadline_dirty_token;
CREATE TABLE deadline_dirty (
    case_id TEXT PRIMARY KEY,
    token   BIGINT NOT NULL
);
INSERT INTO deadline_dirty (case_id, token) SELECT DISTINCT case_id, 0 FROM deadline_marks;
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION deadline_mark(id TEXT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO deadline_dirty (case_id, token) VALUES (id, nextval('deadline_dirty_token'))
    ON CONFLICT (case_id) DO UPDATE SET token = EXCLUDED.token;
$$;
-- +goose StatementEnd
DROP TABLE deadline_marks;

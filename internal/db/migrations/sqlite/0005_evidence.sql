-- +goose Up
-- Evidence items of a case (issue 7). The content is an age-encrypted object
-- in storage under object_key (random, never derived from user input); sha256
-- and size are of the plaintext. status: pending (row committed before the
-- object is written, so reconcile never mistakes an upload in progress for an
-- orphan; a failed upload deletes it), available (stored and verified), deleted (soft, with
-- reason; purged after purge_after), purged (object removed, row kept as the
-- record of what existed). A case with evidence cannot be deleted.
CREATE TABLE evidence (
    id              TEXT PRIMARY KEY,
    case_id         TEXT NOT NULL REFERENCES cases (id),
    status          TEXT NOT NULL,
    title           TEXT NOT NULL DEFAULT '',
    description     TEXT NOT NULL DEFAULT '',
    kind            TEXT NOT NULL DEFAULT '',
    source          TEXT NOT NULL DEFAULT '',
    captured_at     TEXT NOT NULL DEFAULT '',
    captured_at_sort TEXT NOT NULL DEFAULT '',
    language        TEXT NOT NULL DEFAULT '',
    confidential    BOOLEAN NOT NULL DEFAULT FALSE,
    linked_events   TEXT NOT NULL DEFAULT '[]',
    filename        TEXT NOT NULL DEFAULT '',
    declared_type   TEXT NOT NULL DEFAULT '',
    detected_type   TEXT NOT NULL DEFAULT '',
    type_mismatch   BOOLEAN NOT NULL DEFAULT FALSE,
    size            BIGINT NOT NULL DEFAULT 0,
    sha256          TEXT NOT NULL DEFAULT '',
    object_key      TEXT NOT NULL UNIQUE,
    stored_size     BIGINT NOT NULL DEFAULT 0,
    integrity       TEXT NOT NULL DEFAULT 'unverified',
    verified_at     TIMESTAMP,
    idempotency_key TEXT,
    version         BIGINT NOT NULL DEFAULT 1,
    created_by      TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    available_at    TIMESTAMP,
    deleted_at      TIMESTAMP,
    deleted_by      TEXT NOT NULL DEFAULT '',
    delete_reason   TEXT NOT NULL DEFAULT '',
    purge_after     TIMESTAMP,
    purged_at       TIMESTAMP
);
CREATE INDEX evidence_case_idx ON evidence (case_id, status, created_at, id);
CREATE INDEX evidence_status_idx ON evidence (status, created_at);
CREATE INDEX evidence_purge_idx ON evidence (status, purge_after);
CREATE UNIQUE INDEX evidence_idempotency_idx ON evidence (case_id, created_by, idempotency_key);

-- +goose Down
DROP TABLE evidence;

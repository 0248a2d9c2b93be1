-- +goose Up
-- Relatives and contacts of a detainee (issue 25, docs/relatives.md): each
-- relative is a record of the detainee, need-to-know as the detainee.
-- contact and address are confidential fields (never shown to observers);
-- a confidential relative (the default) is not shown to observers at all.
-- A deletion is a soft delete with a reason (deleted_at, delete_reason):
-- the audit trail and the consent history keep what was recorded.
CREATE TABLE detainee_relatives (
    id              TEXT PRIMARY KEY,
    detainee_id     TEXT NOT NULL REFERENCES detainees (id) ON DELETE CASCADE,
    relation        TEXT NOT NULL,
    name            TEXT NOT NULL,
    other_names     TEXT NOT NULL DEFAULT '[]',
    contact         TEXT NOT NULL DEFAULT '',
    address         TEXT NOT NULL DEFAULT '',
    place           TEXT NOT NULL DEFAULT '',
    notes           TEXT NOT NULL DEFAULT '',
    confidential    BOOLEAN NOT NULL DEFAULT TRUE,
    version         BIGINT NOT NULL DEFAULT 1,
    created_by      TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    deleted_at      TIMESTAMP,
    deleted_by      TEXT NOT NULL DEFAULT '',
    delete_reason   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX detainee_relatives_detainee_idx ON detainee_relatives (detainee_id, id);

-- Consent records of a relative: append-only. Withdrawing is a new record;
-- the current state of a kind is its latest record (by id, a time-ordered
-- UUIDv7), "unknown" when there is none. given_at is a partial date
-- (YYYY, YYYY-MM or YYYY-MM-DD, "~" when approximate; '' unknown).
CREATE TABLE relative_consents (
    id              TEXT PRIMARY KEY,
    relative_id     TEXT NOT NULL REFERENCES detainee_relatives (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL,
    status          TEXT NOT NULL,
    given_by        TEXT NOT NULL DEFAULT '',
    given_at        TEXT NOT NULL DEFAULT '',
    given_at_sort   TEXT NOT NULL DEFAULT '',
    method          TEXT NOT NULL DEFAULT '',
    notes           TEXT NOT NULL DEFAULT '',
    created_by      TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL
);
CREATE INDEX relative_consents_relative_idx ON relative_consents (relative_id, kind, id);

-- Pressure on a relative: a timeline event of the detainee's case may name
-- the relative it concerns.
ALTER TABLE case_events ADD COLUMN relative_id TEXT REFERENCES detainee_relatives (id);
CREATE INDEX case_events_relative_idx ON case_events (relative_id) WHERE relative_id IS NOT NULL;

-- +goose Down
DROP INDEX case_events_relative_idx;
ALTER TABLE case_events DROP COLUMN relative_id;
DROP TABLE relative_consents;
DROP TABLE detainee_relatives;

-- +goose Up
-- Crash recovery (issue 23): every running Habeas process registers itself
-- in instances and refreshes heartbeat_at every few seconds; boot names the
-- kernel boot and PID namespace it runs in (a process of the same boot and
-- PID namespace can tell at once that another one's PID is gone). An
-- upload's pending row records its owner (instances.id): when the owner is
-- gone, the upload is cleaned up at once instead of after the upload grace.
-- Rows without an owner (before this migration) keep the grace rule.
CREATE TABLE instances (
    id           TEXT PRIMARY KEY,
    host         TEXT NOT NULL DEFAULT '',
    boot         TEXT NOT NULL DEFAULT '',
    pid          INTEGER NOT NULL DEFAULT 0,
    started_at   TIMESTAMPTZ NOT NULL,
    heartbeat_at TIMESTAMPTZ NOT NULL
);
ALTER TABLE evidence ADD COLUMN upload_owner TEXT;
CREATE INDEX evidence_owner_idx ON evidence (upload_owner) WHERE status = 'pending';

-- +goose Down
DROP INDEX evidence_owner_idx;
ALTER TABLE evidence DROP COLUMN upload_owner;
DROP TABLE instances;

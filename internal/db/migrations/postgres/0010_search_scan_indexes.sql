-- +goose Up
-- SQLite gets covering indexes for its substring-search scans here (see the
-- SQLite file); PostgreSQL searches with its trigram indexes (0008), so
-- nothing changes. The migration exists so both dialects share a version.
SELECT 1;

-- +goose Down
SELECT 1;

-- +goose Up
-- Resumable evidence uploads over tus (issue 24). One row per upload being
-- received: who created it for which case, its declared length, how many
-- bytes were received (in how many age-encrypted segment files under
-- <data dir>/uploads/<id>/), the validated metadata (JSON), and when it
-- expires. Once complete its item_id names the evidence item it became.
CREATE TABLE evidence_uploads (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases(id),
    created_by  TEXT NOT NULL,
    length      BIGINT NOT NULL,
    received    BIGINT NOT NULL DEFAULT 0,
    segments    INTEGER NOT NULL DEFAULT 0,
    metadata    TEXT NOT NULL,
    item_id     TEXT,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX evidence_uploads_expires_idx ON evidence_uploads (expires_at);

-- Single-use download links (issue 24): the SHA-256 of the opaque token
-- (never the token), whose download of which item, until when, and when used.
CREATE TABLE evidence_download_links (
    token_hash  TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL,
    case_id     TEXT NOT NULL,
    item_id     TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    used_at     TIMESTAMPTZ
);
CREATE INDEX evidence_download_links_expires_idx ON evidence_download_links (expires_at);

-- +goose Down
DROP TABLE evidence_download_links;
DROP TABLE evidence_uploads;

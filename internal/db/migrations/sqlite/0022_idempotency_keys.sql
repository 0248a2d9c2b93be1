-- +goose Up
-- Idempotency-Key of JSON POSTs (issue 24; first POST /cases/{id}/events):
-- one row per (user, key). The request's scope (method and path) and the
-- SHA-256 of scope and body tell a retry from a different request under the
-- same key; status is 0 while the first request runs, then its response
-- (status, a few headers as JSON, body) is replayed to retries until
-- expires_at.
CREATE TABLE idempotency_keys (
    user_id       TEXT NOT NULL,
    idem_key      TEXT NOT NULL,
    scope         TEXT NOT NULL,
    request_hash  TEXT NOT NULL,
    status        INTEGER NOT NULL DEFAULT 0,
    headers       TEXT NOT NULL DEFAULT '{}',
    body          BLOB,
    created_at    TIMESTAMP NOT NULL,
    expires_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, idem_key)
);
CREATE INDEX idempotency_keys_expires_idx ON idempotency_keys (expires_at);

-- +goose Down
DROP TABLE idempotency_keys;

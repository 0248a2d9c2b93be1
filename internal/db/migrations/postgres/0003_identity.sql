-- +goose Up
-- PLACEHOLDER for branch `cases` only: the users table as branch `identity`
-- defines it, so that 0004_cases can reference users (id) before identity is
-- merged. When merging identity, take identity's 0003_identity.sql whole.
CREATE TABLE users (
    id                   TEXT PRIMARY KEY,
    email                TEXT NOT NULL,
    name                 TEXT NOT NULL DEFAULT '',
    role                 TEXT NOT NULL CHECK (role IN ('admin', 'coordinator', 'lawyer', 'observer')),
    password_hash        TEXT NOT NULL,
    disabled             BOOLEAN NOT NULL DEFAULT FALSE,
    must_change_password BOOLEAN NOT NULL DEFAULT FALSE,
    require_mfa          BOOLEAN NOT NULL DEFAULT FALSE,
    password_changed_at  TIMESTAMP NOT NULL,
    version              BIGINT NOT NULL DEFAULT 1,
    created_at           TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX users_email_key ON users (email);

-- +goose Down
DROP TABLE users;

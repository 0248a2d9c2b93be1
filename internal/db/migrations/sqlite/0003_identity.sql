-- +goose Up
-- Identity: users, their TOTP and recovery codes, sessions, refresh tokens
-- and the login throttle. No secret is stored in the clear except the TOTP
-- seed (the server must compute codes from it): passwords are argon2id (PHC
-- string), refresh tokens and recovery codes are SHA-256 of high-entropy
-- random values.

-- users: email is stored normalised (NFC, trimmed, lower case), so unique is
-- case-insensitive. Users are never deleted, only disabled (the audit trail
-- refers to them).
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

-- user_totp: one TOTP seed per user; confirmed_at NULL while enrolment is
-- pending. last_step is the last RFC 6238 time step accepted (replay guard).
CREATE TABLE user_totp (
    user_id      TEXT PRIMARY KEY REFERENCES users (id),
    secret       TEXT NOT NULL,
    confirmed_at TIMESTAMP,
    last_step    BIGINT NOT NULL DEFAULT 0,
    created_at   TIMESTAMP NOT NULL
);

-- recovery_codes: single-use MFA codes, stored as SHA-256 (80-bit random codes).
CREATE TABLE recovery_codes (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id),
    code_hash  TEXT NOT NULL,
    used_at    TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX recovery_codes_hash_key ON recovery_codes (code_hash);
CREATE INDEX recovery_codes_user_idx ON recovery_codes (user_id);

-- sessions: one per sign-in. Every authenticated request checks its session
-- here, so revocation takes effect at once. mfa_pending sessions can only
-- finish MFA; mfa_verified records that TOTP was checked for this session.
CREATE TABLE sessions (
    id            TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users (id),
    mfa_pending   BOOLEAN NOT NULL DEFAULT FALSE,
    mfa_verified  BOOLEAN NOT NULL DEFAULT FALSE,
    client_ip     TEXT NOT NULL DEFAULT '',
    user_agent    TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL,
    expires_at    TIMESTAMP NOT NULL,
    revoked_at    TIMESTAMP,
    revoke_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

-- refresh_tokens: the chain of refresh tokens of a session, SHA-256 only.
-- used_at is set when a token is rotated; presenting it again revokes the session.
CREATE TABLE refresh_tokens (
    id         TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions (id),
    token_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at    TIMESTAMP
);
CREATE UNIQUE INDEX refresh_tokens_hash_key ON refresh_tokens (token_hash);
CREATE INDEX refresh_tokens_session_idx ON refresh_tokens (session_id);

-- auth_throttles: failed attempts per bucket (account, client address, TOTP
-- of a user), shared by every server process. Times are Unix milliseconds so
-- that both dialects compare them the same way in SQL.
CREATE TABLE auth_throttles (
    bucket       TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    window_start BIGINT NOT NULL,
    locked_until BIGINT NOT NULL DEFAULT 0,
    updated_at   BIGINT NOT NULL
);

-- +goose Down
DROP TABLE auth_throttles;
DROP TABLE refresh_tokens;
DROP TABLE sessions;
DROP TABLE recovery_codes;
DROP TABLE user_totp;
DROP TABLE users;

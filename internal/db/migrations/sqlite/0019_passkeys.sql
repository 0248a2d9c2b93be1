-- +goose Up
-- Passkeys (WebAuthn, issue 22). No secret is stored: a credential is a
-- public key. data is the go-webauthn credential record (JSON: public key,
-- flags, AAGUID, transports, attestation); sign_count is kept in its own
-- column so that a use can advance it with a compare-and-set (two uses of one
-- counter-bearing authenticator at once cannot both pass).
CREATE TABLE webauthn_credentials (
    id            TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users (id),
    credential_id TEXT NOT NULL,
    name          TEXT NOT NULL,
    data          TEXT NOT NULL,
    sign_count    BIGINT NOT NULL DEFAULT 0,
    created_at    TIMESTAMP NOT NULL,
    last_used_at  TIMESTAMP
);
-- credential_id is the base64url raw credential id, unique across users.
CREATE UNIQUE INDEX webauthn_credentials_credential_key ON webauthn_credentials (credential_id);
CREATE INDEX webauthn_credentials_user_idx ON webauthn_credentials (user_id);

-- webauthn_ceremonies: the server side of a registration or sign-in in
-- progress (challenge and parameters, go-webauthn SessionData as JSON).
-- Each is taken (deleted) by the step that finishes it, whatever the result,
-- so a challenge is answered at most once; expires_at bounds its life. Kept
-- in the database so that any server process can finish what another began.
-- user_id is empty for a sign-in with a passkey alone (the credential names
-- the user); session_id is the session that began a registration or a
-- second-factor check, which only that session may finish.
CREATE TABLE webauthn_ceremonies (
    id         TEXT PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('register', 'login', 'verify')),
    user_id    TEXT NOT NULL DEFAULT '',
    session_id TEXT NOT NULL DEFAULT '',
    data       TEXT NOT NULL,
    name       TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX webauthn_ceremonies_expires_idx ON webauthn_ceremonies (expires_at);

-- sessions.mfa_method: how the second factor (or the passkey sign-in) of a
-- session was proven: totp, recovery_code, passkey; empty for none. Roles
-- that require passkeys (HABEAS_PASSKEY_REQUIRED_ROLES) need passkey or
-- recovery_code. It changes only together with mfa_verified, which already
-- moves the auth epoch (0017).
ALTER TABLE sessions ADD COLUMN mfa_method TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE sessions DROP COLUMN mfa_method;
DROP TABLE webauthn_ceremonies;
DROP TABLE webauthn_credentials;

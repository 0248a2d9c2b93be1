-- +goose Up
-- The session check's cache (internal/auth, docs/security.md "Session
-- check cache") trusts a cached session only while this counter is
-- unchanged. Triggers bump it in the same transaction as any change that can
-- end or narrow a session: a session revoked, expired, deleted or its MFA
-- state changed; a user disabled, deleted, their role, email, MFA
-- requirement or pending password change altered. Whatever makes the change
-- (the server, the CLI, an operator in sqlite3), the next request sees the
-- new value and reloads. Inserts (a new sign-in) change nothing.
CREATE TABLE auth_epoch (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    value INTEGER NOT NULL
);
INSERT INTO auth_epoch (id, value) VALUES (1, 1);

-- +goose StatementBegin
CREATE TRIGGER sessions_auth_epoch_update AFTER UPDATE OF user_id, mfa_pending, mfa_verified, expires_at, revoked_at ON sessions
BEGIN
    UPDATE auth_epoch SET value = value + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER sessions_auth_epoch_delete AFTER DELETE ON sessions
BEGIN
    UPDATE auth_epoch SET value = value + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER users_auth_epoch_update AFTER UPDATE OF id, email, role, disabled, must_change_password, require_mfa ON users
BEGIN
    UPDATE auth_epoch SET value = value + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER users_auth_epoch_delete AFTER DELETE ON users
BEGIN
    UPDATE auth_epoch SET value = value + 1 WHERE id = 1;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER users_auth_epoch_delete;
DROP TRIGGER users_auth_epoch_update;
DROP TRIGGER sessions_auth_epoch_delete;
DROP TRIGGER sessions_auth_epoch_update;
DROP TABLE auth_epoch;

-- +goose Up
-- The session check's cache (internal/auth, docs/security.md "Session
-- check cache") trusts a cached session only while this counter is
-- unchanged. Triggers bump it in the same transaction as any change that can
-- end or narrow a session: a session revoked, expired, deleted or its MFA
-- state changed; a user disabled, deleted, their role, email, MFA
-- requirement or pending password change altered. Whatever makes the change
-- (the server, the CLI, an operator in psql), every replica's next request
-- sees the new value and reloads. Inserts (a new sign-in) change nothing.
CREATE TABLE auth_epoch (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    value BIGINT NOT NULL
);
INSERT INTO auth_epoch (id, value) VALUES (1, 1);

-- +goose StatementBegin
CREATE FUNCTION habeas_auth_epoch_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE auth_epoch SET value = value + 1 WHERE id = 1;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER sessions_auth_epoch_update AFTER UPDATE OF user_id, mfa_pending, mfa_verified, expires_at, revoked_at ON sessions
    FOR EACH STATEMENT EXECUTE FUNCTION habeas_auth_epoch_bump();
CREATE TRIGGER sessions_auth_epoch_delete AFTER DELETE ON sessions
    FOR EACH STATEMENT EXECUTE FUNCTION habeas_auth_epoch_bump();
CREATE TRIGGER users_auth_epoch_update AFTER UPDATE OF id, email, role, disabled, must_change_password, require_mfa ON users
    FOR EACH STATEMENT EXECUTE FUNCTION habeas_auth_epoch_bump();
CREATE TRIGGER users_auth_epoch_delete AFTER DELETE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION habeas_auth_epoch_bump();

-- +goose Down
DROP TRIGGER users_auth_epoch_delete ON users;
DROP TRIGGER users_auth_epoch_update ON users;
DROP TRIGGER sessions_auth_epoch_delete ON sessions;
DROP TRIGGER sessions_auth_epoch_update ON sessions;
DROP FUNCTION habeas_auth_epoch_bump();
DROP TABLE auth_epoch;

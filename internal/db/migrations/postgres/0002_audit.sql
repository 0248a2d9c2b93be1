-- +goose Up
-- The audit trail: append-only, hash-chained. seq is strictly consecutive from 1;
-- hash = SHA-256(prev_hash || canonical encoding of the entry), hex.
-- "at" is text in a fixed UTC format so that the canonical encoding is the same on both databases.
CREATE TABLE audit_log (
    seq         BIGINT PRIMARY KEY,
    at          TEXT   NOT NULL,
    actor_id    TEXT   NOT NULL DEFAULT '',
    actor_role  TEXT   NOT NULL DEFAULT '',
    action      TEXT   NOT NULL,
    object_type TEXT   NOT NULL DEFAULT '',
    object_id   TEXT   NOT NULL DEFAULT '',
    case_id     TEXT   NOT NULL DEFAULT '',
    client_ip   TEXT   NOT NULL DEFAULT '',
    request_id  TEXT   NOT NULL DEFAULT '',
    outcome     TEXT   NOT NULL,
    details     TEXT   NOT NULL DEFAULT '{}',
    prev_hash   TEXT   NOT NULL,
    hash        TEXT   NOT NULL
);
CREATE INDEX audit_log_actor ON audit_log (actor_id, seq);
CREATE INDEX audit_log_case ON audit_log (case_id, seq);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id, seq);
CREATE INDEX audit_log_action ON audit_log (action, seq);
CREATE INDEX audit_log_at ON audit_log (at);

-- +goose StatementBegin
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- +goose Down
DROP TABLE audit_log;
DROP FUNCTION audit_log_append_only();

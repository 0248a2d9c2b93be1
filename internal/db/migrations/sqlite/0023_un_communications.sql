-- +goose Up
-- UN communications of a case (issue 25, docs/un.md): each communication a
-- UN body (the Working Group on Arbitrary Detention, special rapporteurs)
-- sent to the government about the case, with its reply clock and outcome.
-- Dates are calendar days "YYYY-MM-DD" ('' when unknown). reply_due_at is
-- 60 days after transmitted_at unless set (the UN body's practice, not a
-- rule of PRC law). A deletion is a soft delete (deleted_at), as for
-- timeline events: the audit trail keeps what was recorded.
CREATE TABLE un_communications (
    id              TEXT PRIMARY KEY,
    case_id         TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL,
    reference       TEXT NOT NULL DEFAULT '',
    body            TEXT NOT NULL DEFAULT '',
    submitted_at    TEXT NOT NULL DEFAULT '',
    transmitted_at  TEXT NOT NULL DEFAULT '',
    reply_due_at    TEXT NOT NULL DEFAULT '',
    replied_at      TEXT NOT NULL DEFAULT '',
    reply_summary   TEXT NOT NULL DEFAULT '',
    opinion_number  TEXT NOT NULL DEFAULT '',
    opinion_date    TEXT NOT NULL DEFAULT '',
    follow_up       TEXT NOT NULL DEFAULT '',
    confidential    BOOLEAN NOT NULL DEFAULT FALSE,
    version         BIGINT NOT NULL DEFAULT 1,
    created_by      TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    deleted_at      TIMESTAMP
);
CREATE INDEX un_communications_case_idx ON un_communications (case_id, transmitted_at, id);

-- A write marks the case stale in the time-limit index: the government's
-- reply clock is one of its limits (rule un_government_reply).
-- +goose StatementBegin
CREATE TRIGGER un_communications_deadline_ins AFTER INSERT ON un_communications BEGIN
    INSERT INTO deadline_marks (case_id) VALUES (NEW.case_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER un_communications_deadline_upd AFTER UPDATE ON un_communications BEGIN
    INSERT INTO deadline_marks (case_id) VALUES (OLD.case_id);
    INSERT INTO deadline_marks (case_id) VALUES (NEW.case_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER un_communications_deadline_del AFTER DELETE ON un_communications BEGIN
    INSERT INTO deadline_marks (case_id) VALUES (OLD.case_id);
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER un_communications_deadline_del;
DROP TRIGGER un_communications_deadline_upd;
DROP TRIGGER un_communications_deadline_ins;
DROP TABLE un_communications;

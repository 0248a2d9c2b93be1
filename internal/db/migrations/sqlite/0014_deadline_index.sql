-- +goose Up
-- The time-limit index (issue 21, docs/deadlines.md "The index"): each
-- case's limits as the rules last evaluated them, per visibility class
-- ('full': who may read confidential records; 'open': observers, without
-- confidential custody periods and events), so the dashboard pages, filters
-- and counts them from indexes instead of evaluating every case per request.
CREATE TABLE deadline_items (
    id         TEXT PRIMARY KEY,            -- class:case_id:item_key
    class      TEXT NOT NULL,
    case_id    TEXT NOT NULL,
    item_key   TEXT NOT NULL,               -- rule/n: the n-th result of the rule
    rule       TEXT NOT NULL,
    status     TEXT NOT NULL,
    due_at     TEXT NOT NULL DEFAULT '',    -- UTC, fixed width; '' when unknown
    urgency    TEXT NOT NULL,               -- status rank | due_at ('9999' when unknown)
    stage      TEXT NOT NULL DEFAULT '',    -- the case's stage when evaluated
    changes_at TEXT NOT NULL DEFAULT ''     -- UTC: when the passage of time may change it; '' never
);
CREATE INDEX deadline_items_urgency_idx ON deadline_items (class, urgency, id);
CREATE INDEX deadline_items_status_idx ON deadline_items (class, status, urgency, id);
CREATE INDEX deadline_items_rule_idx ON deadline_items (class, rule, urgency, id);
CREATE INDEX deadline_items_case_idx ON deadline_items (case_id, class);
CREATE INDEX deadline_items_changes_idx ON deadline_items (changes_at) WHERE changes_at <> '';

-- Counts per class, rule, status and case stage, kept in the transaction
-- that replaces a case's items: the summary of who sees every case.
CREATE TABLE deadline_counts (
    class  TEXT NOT NULL,
    rule   TEXT NOT NULL,
    status TEXT NOT NULL,
    stage  TEXT NOT NULL,
    n      INTEGER NOT NULL,
    PRIMARY KEY (class, rule, status, stage)
);

-- Cases whose inputs changed since their items were computed. Triggers on
-- every input table mark a case, whatever writes it (services, imports,
-- merges, restores); the token tells a refresh that a case was marked again
-- while it computed, so the mark stays.
CREATE TABLE deadline_dirty (
    case_id TEXT PRIMARY KEY,
    token   INTEGER NOT NULL
);
INSERT INTO deadline_dirty (case_id, token) SELECT id, 0 FROM cases;

-- +goose StatementBegin
CREATE TRIGGER cases_deadline_ins AFTER INSERT ON cases BEGIN
    INSERT OR REPLACE INTO deadline_dirty (case_id, token) VALUES (NEW.id, random());
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER cases_deadline_upd AFTER UPDATE ON cases BEGIN
    INSERT OR REPLACE INTO deadline_dirty (case_id, token) VALUES (NEW.id, random());
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER cases_deadline_del AFTER DELETE ON cases BEGIN
    INSERT OR REPLACE INTO deadline_dirty (case_id, token) VALUES (OLD.id, random());
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER case_charges_deadline_ins AFTER INSERT ON case_charges BEGIN
    INSERT OR REPLACE INTO deadline_dirty (case_id, token) VALUES (NEW.case_id, random());
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER case_charges_deadline_upd AFTER UPDATE ON case_charges BEGIN
    INSERT OR REPLACE INTO deadline_dirty (case_id, token) VALUES (OLD.case_id, random());
    INSERT OR REPLACE INTO deadline_dirty (case_id, token) VALUES (NEW.case_id, random());
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER case_charges_deadline_del AFTER DELETE ON case_charges BEGIN
    INSERT OR REPLACE INTO deadline_dirty (case_id, token) VALUES (OLD.case_id, random());
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER custody_periods_deadline_ins AFTER INSERT ON custody_periods BEGIN
    INSERT OR REPLACE INTO deadline_dirty (case_id, token) VALUES (NEW.case_id, random());
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER custody_periods_deadline_upd AFTER UPDATE ON custody_periods BEGIN
    INSERT OR REPLACE INTO deadline_dirty (case_id, token) VALUES (OLD.case_id, random());
    INSERT OR REPLACE INTO deadline_dirty (case_id, token) VALUES (NEW.case_id, random());
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER custody_periods_deadline_del AFTER DELETE ON custody_periods BEGIN
    INSERT OR REPLACE INTO deadline_dirty (case_id, token) VALUES (OLD.case_id, random());
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER case_events_deadline_ins AFTER INSERT ON case_events BEGIN
    INSERT OR REPLACE INTO deadline_dirty (case_id, token) VALUES (NEW.case_id, random());
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER case_events_deadline_upd AFTER UPDATE ON case_events BEGIN
    INSERT OR REPLACE INTO deadline_dirty (case_id, token) VALUES (OLD.case_id, random());
    INSERT OR REPLACE INTO deadline_dirty (case_id, token) VALUES (NEW.case_id, random());
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER case_events_deadline_del AFTER DELETE ON case_events BEGIN
    INSERT OR REPLACE INTO deadline_dirty (case_id, token) VALUES (OLD.case_id, random());
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER case_events_deadline_del;
DROP TRIGGER case_events_deadline_upd;
DROP TRIGGER case_events_deadline_ins;
DROP TRIGGER custody_periods_deadline_del;
DROP TRIGGER custody_periods_deadline_upd;
DROP TRIGGER custody_periods_deadline_ins;
DROP TRIGGER case_charges_deadline_del;
DROP TRIGGER case_charges_deadline_upd;
DROP TRIGGER case_charges_deadline_ins;
DROP TRIGGER cases_deadline_del;
DROP TRIGGER cases_deadline_upd;
DROP TRIGGER cases_deadline_ins;
DROP TABLE deadline_dirty;
DROP TABLE deadline_counts;
DROP TABLE deadline_items;

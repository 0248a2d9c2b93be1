-- +goose Up
-- The marks of stale cases become an append-only queue (issue 21; see the
-- PostgreSQL file: there, one upserted row per case made writers of one case
-- deadlock with the audit chain). A refresh deletes the rows it read; a mark
-- made meanwhile is a new row and stays.
CREATE TABLE deadline_marks (
    id      INTEGER PRIMARY KEY,
    case_id TEXT NOT NULL
);
INSERT INTO deadline_marks (case_id) SELECT case_id FROM deadline_dirty;
DROP TRIGGER cases_deadline_ins;
DROP TRIGGER cases_deadline_upd;
DROP TRIGGER cases_deadline_del;
DROP TRIGGER case_charges_deadline_ins;
DROP TRIGGER case_charges_deadline_upd;
DROP TRIGGER case_charges_deadline_del;
DROP TRIGGER custody_periods_deadline_ins;
DROP TRIGGER custody_periods_deadline_upd;
DROP TRIGGER custody_periods_deadline_del;
DROP TRIGGER case_events_deadline_ins;
DROP TRIGGER case_events_deadline_upd;
DROP TRIGGER case_events_deadline_del;
-- +goose StatementBegin
CREATE TRIGGER cases_deadline_ins AFTER INSERT ON cases BEGIN
    INSERT INTO deadline_marks (case_id) VALUES (NEW.id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER cases_deadline_upd AFTER UPDATE ON cases BEGIN
    INSERT INTO deadline_marks (case_id) VALUES (NEW.id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER cases_deadline_del AFTER DELETE ON cases BEGIN
    INSERT INTO deadline_marks (case_id) VALUES (OLD.id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER case_charges_deadline_ins AFTER INSERT ON case_charges BEGIN
    INSERT INTO deadline_marks (case_id) VALUES (NEW.case_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER case_charges_deadline_upd AFTER UPDATE ON case_charges BEGIN
    INSERT INTO deadline_marks (case_id) VALUES (OLD.case_id);
    INSERT INTO deadline_marks (case_id) VALUES (NEW.case_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER case_charges_deadline_del AFTER DELETE ON case_charges BEGIN
    INSERT INTO deadline_marks (case_id) VALUES (OLD.case_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER custody_periods_deadline_ins AFTER INSERT ON custody_periods BEGIN
    INSERT INTO deadline_marks (case_id) VALUES (NEW.case_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER custody_periods_deadline_upd AFTER UPDATE ON custody_periods BEGIN
    INSERT INTO deadline_marks (case_id) VALUES (OLD.case_id);
    INSERT INTO deadline_marks (case_id) VALUES (NEW.case_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER custody_periods_deadline_del AFTER DELETE ON custody_periods BEGIN
    INSERT INTO deadline_marks (case_id) VALUES (OLD.case_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER case_events_deadline_ins AFTER INSERT ON case_events BEGIN
    INSERT INTO deadline_marks (case_id) VALUES (NEW.case_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER case_events_deadline_upd AFTER UPDATE ON case_events BEGIN
    INSERT INTO deadline_marks (case_id) VALUES (OLD.case_id);
    INSERT INTO deadline_marks (case_id) VALUES (NEW.case_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER case_events_deadline_del AFTER DELETE ON case_events BEGIN
    INSERT INTO deadline_marks (case_id) VALUES (OLD.case_id);
END;
-- +goose StatementEnd
DROP TABLE deadline_dirty;

-- +goose Down
CREATE TABLE deadline_dirty (
    case_id TEXT PRIMARY KEY,
    token   INTEGER NOT NULL
);
INSERT OR IGNORE INTO deadline_dirty (case_id, token) SELECT case_id, 0 FROM deadline_marks;
DROP TRIGGER cases_deadline_ins;
DROP TRIGGER cases_deadline_upd;
DROP TRIGGER cases_deadline_del;
DROP TRIGGER case_charges_deadline_ins;
DROP TRIGGER case_charges_deadline_upd;
DROP TRIGGER case_charges_deadline_del;
DROP TRIGGER custody_periods_deadline_ins;
DROP TRIGGER custody_periods_deadline_upd;
DROP TRIGGER custody_periods_deadline_del;
DROP TRIGGER case_events_deadline_ins;
DROP TRIGGER case_events_deadline_upd;
DROP TRIGGER case_events_deadline_del;
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
DROP TABLE deadline_marks;

-- +goose Up
-- The time-limit index (issue 21, docs/deadlines.md "The index"): each
-- case's limits as the rules last evaluated them, per visibility class
-- ('full': who may read confidential records; 'open': observers, without
-- confidential custody periods and events), so the dashboard pages, filters
-- and counts them from indexes instead of evaluating every case per request.
CREATE TABLE deadline_items (
    id         TEXT COLLATE "C" PRIMARY KEY,            -- class:case_id:item_key
    class      TEXT NOT NULL,
    case_id    TEXT NOT NULL,
    item_key   TEXT NOT NULL,               -- rule/n: the n-th result of the rule
    rule       TEXT NOT NULL,
    status     TEXT NOT NULL,
    due_at     TEXT COLLATE "C" NOT NULL DEFAULT '',    -- UTC, fixed width; '' when unknown
    urgency    TEXT COLLATE "C" NOT NULL,               -- status rank | due_at ('9999' when unknown)
    stage      TEXT NOT NULL DEFAULT '',    -- the case's stage when evaluated
    changes_at TEXT COLLATE "C" NOT NULL DEFAULT ''     -- UTC: when the passage of time may change it; '' never
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
    n      BIGINT NOT NULL,
    PRIMARY KEY (class, rule, status, stage)
);

-- Cases whose inputs changed since their items were computed. Triggers on
-- every input table mark a case, whatever writes it (services, imports,
-- merges, restores); the token tells a refresh that a case was marked again
-- while it computed, so the mark stays.
CREATE SEQUENCE deadline_dirty_token;
CREATE TABLE deadline_dirty (
    case_id TEXT PRIMARY KEY,
    token   BIGINT NOT NULL
);
INSERT INTO deadline_dirty (case_id, token) SELECT id, 0 FROM cases;

-- +goose StatementBegin
CREATE FUNCTION deadline_mark(id TEXT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO deadline_dirty (case_id, token) VALUES (id, nextval('deadline_dirty_token'))
    ON CONFLICT (case_id) DO UPDATE SET token = EXCLUDED.token;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION deadline_mark_case() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM deadline_mark(OLD.id);
    ELSE
        PERFORM deadline_mark(NEW.id);
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION deadline_mark_child() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM deadline_mark(OLD.case_id);
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.case_id IS DISTINCT FROM OLD.case_id) THEN
        PERFORM deadline_mark(NEW.case_id);
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER cases_deadline AFTER INSERT OR UPDATE OR DELETE ON cases
    FOR EACH ROW EXECUTE FUNCTION deadline_mark_case();
CREATE TRIGGER case_charges_deadline AFTER INSERT OR UPDATE OR DELETE ON case_charges
    FOR EACH ROW EXECUTE FUNCTION deadline_mark_child();
CREATE TRIGGER custody_periods_deadline AFTER INSERT OR UPDATE OR DELETE ON custody_periods
    FOR EACH ROW EXECUTE FUNCTION deadline_mark_child();
CREATE TRIGGER case_events_deadline AFTER INSERT OR UPDATE OR DELETE ON case_events
    FOR EACH ROW EXECUTE FUNCTION deadline_mark_child();

-- +goose Down
DROP TRIGGER case_events_deadline ON case_events;
DROP TRIGGER custody_periods_deadline ON custody_periods;
DROP TRIGGER case_charges_deadline ON case_charges;
DROP TRIGGER cases_deadline ON cases;
DROP FUNCTION deadline_mark_child();
DROP FUNCTION deadline_mark_case();
DROP FUNCTION deadline_mark(TEXT);
DROP TABLE deadline_dirty;
DROP SEQUENCE deadline_dirty_token;
DROP TABLE deadline_counts;
DROP TABLE deadline_items;

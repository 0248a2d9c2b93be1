-- +goose Up
-- The support board's summary from counters (issue 21, docs/support.md
-- "How the board counts"): the number of support actions per (status, type),
-- and of open actions per due day, kept by a trigger on every insert, update
-- and delete of support_actions, so that the summary of the board of a caller
-- who sees every action reads about 80 + a few thousand small rows instead
-- of aggregating every action on each request. The open statuses are those
-- of support.OpenStatuses (a test compares the counters with the live
-- aggregation). Migration 0014 is left to the time-limit index (issue 21
-- item 1), written at the same time. Writes of support actions are already
-- serial (the audit chain's lock), so the counter rows add no contention.
CREATE TABLE support_action_counts (
    status  TEXT NOT NULL,
    type    TEXT NOT NULL,
    n       BIGINT NOT NULL,
    PRIMARY KEY (status, type)
);
CREATE TABLE support_action_open_due (
    due_at  TEXT NOT NULL PRIMARY KEY,
    n       BIGINT NOT NULL
);
-- No write of support actions while the counters are filled and the trigger
-- created: the counters start exact.
LOCK TABLE support_actions IN SHARE ROW EXCLUSIVE MODE;
INSERT INTO support_action_counts (status, type, n)
    SELECT status, type, COUNT(*) FROM support_actions GROUP BY status, type;
INSERT INTO support_action_open_due (due_at, n)
    SELECT due_at, COUNT(*) FROM support_actions
    WHERE status IN ('proposed', 'assigned', 'in_progress', 'submitted', 'response_received') GROUP BY due_at;

-- +goose StatementBegin
CREATE FUNCTION support_actions_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE support_action_counts SET n = n - 1 WHERE status = OLD.status AND type = OLD.type;
        IF OLD.status IN ('proposed', 'assigned', 'in_progress', 'submitted', 'response_received') THEN
            UPDATE support_action_open_due SET n = n - 1 WHERE due_at = OLD.due_at;
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO support_action_counts (status, type, n) VALUES (NEW.status, NEW.type, 1)
            ON CONFLICT (status, type) DO UPDATE SET n = support_action_counts.n + 1;
        IF NEW.status IN ('proposed', 'assigned', 'in_progress', 'submitted', 'response_received') THEN
            INSERT INTO support_action_open_due (due_at, n) VALUES (NEW.due_at, 1)
                ON CONFLICT (due_at) DO UPDATE SET n = support_action_open_due.n + 1;
        END IF;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER support_actions_count_rows AFTER INSERT OR DELETE ON support_actions
    FOR EACH ROW EXECUTE FUNCTION support_actions_count();
CREATE TRIGGER support_actions_count_update AFTER UPDATE OF status, type, due_at ON support_actions
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.type IS DISTINCT FROM NEW.type
        OR OLD.due_at IS DISTINCT FROM NEW.due_at)
    EXECUTE FUNCTION support_actions_count();

-- A board filtered by type counts from an index too (the type, then the
-- status and due day an overdue count reads).
CREATE INDEX support_actions_type_idx ON support_actions (type, status, due_at);

-- +goose Down
DROP INDEX support_actions_type_idx;
DROP TRIGGER support_actions_count_update ON support_actions;
DROP TRIGGER support_actions_count_rows ON support_actions;
DROP FUNCTION support_actions_count();
DROP TABLE support_action_open_due;
DROP TABLE support_action_counts;

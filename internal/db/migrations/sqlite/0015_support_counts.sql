-- +goose Up
-- The support board's summary from counters (issue 21, docs/support.md
-- "How the board counts"): the number of support actions per (status, type),
-- and of open actions per due day, kept by triggers on every insert, update
-- and delete of support_actions, so that the summary of the board of a caller
-- who sees every action reads about 80 + a few thousand small rows instead
-- of aggregating every action on each request. The open statuses are those
-- of support.OpenStatuses (a test compares the counters with the live
-- aggregation). Migration 0014 is left to the time-limit index (issue 21
-- item 1), written at the same time.
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
INSERT INTO support_action_counts (status, type, n)
    SELECT status, type, COUNT(*) FROM support_actions GROUP BY status, type;
INSERT INTO support_action_open_due (due_at, n)
    SELECT due_at, COUNT(*) FROM support_actions
    WHERE status IN ('proposed', 'assigned', 'in_progress', 'submitted', 'response_received') GROUP BY due_at;

-- +goose StatementBegin
CREATE TRIGGER support_actions_count_insert AFTER INSERT ON support_actions
BEGIN
    INSERT INTO support_action_counts (status, type, n) VALUES (NEW.status, NEW.type, 1)
        ON CONFLICT (status, type) DO UPDATE SET n = n + 1;
    INSERT INTO support_action_open_due (due_at, n)
        SELECT NEW.due_at, 1 WHERE NEW.status IN ('proposed', 'assigned', 'in_progress', 'submitted', 'response_received')
        ON CONFLICT (due_at) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER support_actions_count_delete AFTER DELETE ON support_actions
BEGIN
    UPDATE support_action_counts SET n = n - 1 WHERE status = OLD.status AND type = OLD.type;
    UPDATE support_action_open_due SET n = n - 1
        WHERE due_at = OLD.due_at AND OLD.status IN ('proposed', 'assigned', 'in_progress', 'submitted', 'response_received');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER support_actions_count_update AFTER UPDATE OF status, type, due_at ON support_actions
    WHEN OLD.status IS NOT NEW.status OR OLD.type IS NOT NEW.type OR OLD.due_at IS NOT NEW.due_at
BEGIN
    UPDATE support_action_counts SET n = n - 1 WHERE status = OLD.status AND type = OLD.type;
    INSERT INTO support_action_counts (status, type, n) VALUES (NEW.status, NEW.type, 1)
        ON CONFLICT (status, type) DO UPDATE SET n = n + 1;
    UPDATE support_action_open_due SET n = n - 1
        WHERE due_at = OLD.due_at AND OLD.status IN ('proposed', 'assigned', 'in_progress', 'submitted', 'response_received');
    INSERT INTO support_action_open_due (due_at, n)
        SELECT NEW.due_at, 1 WHERE NEW.status IN ('proposed', 'assigned', 'in_progress', 'submitted', 'response_received')
        ON CONFLICT (due_at) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd

-- A board filtered by type counts from an index too (the type, then the
-- status and due day an overdue count reads).
CREATE INDEX support_actions_type_idx ON support_actions (type, status, due_at);

-- +goose Down
DROP INDEX support_actions_type_idx;
DROP TRIGGER support_actions_count_update;
DROP TRIGGER support_actions_count_delete;
DROP TRIGGER support_actions_count_insert;
DROP TABLE support_action_open_due;
DROP TABLE support_action_counts;

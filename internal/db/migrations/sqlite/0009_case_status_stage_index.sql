-- +goose Up
-- The case list filtered by status and stage together (the coordinator's
-- "open cases at trial"): with only (status, id) a page read every case of
-- the status to find the stage (160-290 ms on SQLite at 150,000 cases).
CREATE INDEX cases_status_stage_idx ON cases (status, stage, id);

-- +goose Down
DROP INDEX cases_status_stage_idx;

-- +goose Up
-- Indexes for scale (issue 14: 100,000 detainees, 150,000 cases, 1,500,000
-- events). Each list filter gets an index that also gives the keyset order
-- (filter column, id), so a filtered page reads only its rows; the single
-- column indexes they replace are dropped. See docs/benchmarks.md
-- ("Query plans") for the plan of each main query.
CREATE INDEX cases_status_idx ON cases (status, id);
DROP INDEX cases_stage_idx;
CREATE INDEX cases_stage_idx ON cases (stage, id);
DROP INDEX detainees_status_idx;
CREATE INDEX detainees_status_idx ON detainees (detention_status, id);
DROP INDEX detainees_province_idx;
CREATE INDEX detainees_province_idx ON detainees (home_province, id);
CREATE INDEX detainees_issue_idx ON detainees (issue, id);
-- The hearings calendar pages by (sort_key, id).
CREATE INDEX hearings_calendar_idx ON hearings (sort_key, id);
-- The support board sorted by due date.
CREATE INDEX support_actions_due_idx ON support_actions (due_at, id);

-- Substring search (q) is LIKE '%...%' on the lower-cased search columns.
-- When the pg_trgm extension can be created (a trusted extension since
-- PostgreSQL 13: the database owner may create it), trigram GIN indexes
-- serve searches of 3 characters or more. Where it cannot (not installed,
-- or a role without the right), the migration goes on without them and
-- search scans, as on SQLite.
-- +goose StatementBegin
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'pg_trgm not available (%): substring search will scan', SQLERRM;
END
$$;
-- +goose StatementEnd
-- +goose StatementBegin
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        CREATE INDEX detainees_search_trgm_idx ON detainees USING gin (search gin_trgm_ops);
        CREATE INDEX cases_search_trgm_idx ON cases USING gin (search gin_trgm_ops);
    END IF;
END
$$;
-- +goose StatementEnd

-- +goose Down
DROP INDEX IF EXISTS cases_search_trgm_idx;
DROP INDEX IF EXISTS detainees_search_trgm_idx;
DROP INDEX support_actions_due_idx;
DROP INDEX hearings_calendar_idx;
DROP INDEX detainees_issue_idx;
DROP INDEX detainees_province_idx;
CREATE INDEX detainees_province_idx ON detainees (home_province);
DROP INDEX detainees_status_idx;
CREATE INDEX detainees_status_idx ON detainees (detention_status);
DROP INDEX cases_stage_idx;
CREATE INDEX cases_stage_idx ON cases (stage);
DROP INDEX cases_status_idx;

-- +goose Up
-- Substring search (LIKE '%...%') cannot seek an index; SQLite scans. A
-- covering index of the search text and the id it yields is scanned instead
-- of the table, whose rows carry every field: 7x less to read for detainees
-- and 5x for cases at 100,000 detainees (docs/benchmarks.md). PostgreSQL has
-- its trigram indexes (0008) instead.
CREATE INDEX detainees_search_scan_idx ON detainees (search, id);
CREATE INDEX cases_search_scan_idx ON cases (search, detainee_id, id);

-- +goose Down
DROP INDEX cases_search_scan_idx;
DROP INDEX detainees_search_scan_idx;

-- +goose Up
-- The expected-release index (issue 21, docs/deadlines.md "The index"):
-- each case's expected release per visibility class, as the time-limit
-- refresh last computed it, so GET /releases pages it from an index
-- instead of evaluating every sentenced case per request. Every case is
-- marked for the refresh that fills it.
CREATE TABLE release_items (
    id         TEXT PRIMARY KEY,          -- class:case_id
    class      TEXT NOT NULL,
    case_id    TEXT NOT NULL,
    release_at TEXT NOT NULL,             -- the expected release, a partial date (EDTF)
    earliest   TEXT NOT NULL,             -- its earliest and latest day (YYYY-MM-DD, CST)
    latest     TEXT NOT NULL
);
CREATE INDEX release_items_at_idx ON release_items (class, release_at, id);
CREATE INDEX release_items_case_idx ON release_items (case_id, class);
INSERT OR IGNORE INTO deadline_dirty (case_id, token) SELECT id, 0 FROM cases;

-- +goose Down
DROP TABLE release_items;

-- +goose Up
-- The name index (docs/search.md): every searchable form of a detainee,
-- case or lawyer folded into search keys (internal/names), and the grams
-- of those keys, so that a substring search reads an index instead of
-- scanning a table. The store writes both in the transaction that writes
-- the record; records written before this migration are indexed at
-- start-up (see docs/search.md, "Backfill").

-- search_keys: one row per distinct folded key of a record: the field it
-- comes from, the form as written (what a result says it matched) and
-- the key.
CREATE TABLE search_keys (
    owner_type TEXT NOT NULL,
    owner_id   TEXT NOT NULL,
    folded     TEXT NOT NULL,
    field      TEXT NOT NULL DEFAULT '',
    source     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (owner_type, owner_id, folded)
) WITHOUT ROWID;
CREATE INDEX search_keys_folded_idx ON search_keys (owner_type, folded);

-- search_grams: the posting lists: which records hold a gram in any of
-- their keys.
CREATE TABLE search_grams (
    owner_type TEXT NOT NULL,
    gram       TEXT NOT NULL,
    owner_id   TEXT NOT NULL,
    PRIMARY KEY (owner_type, gram, owner_id)
) WITHOUT ROWID;
CREATE INDEX search_grams_owner_idx ON search_grams (owner_type, owner_id);

-- search_index_state: the version of the folding each kind of record was
-- last indexed with; a start-up with a newer internal/names re-indexes.
CREATE TABLE search_index_state (
    owner_type TEXT PRIMARY KEY,
    version    INTEGER NOT NULL DEFAULT 0
);

-- The date of death (partial date, like born_at).
ALTER TABLE detainees ADD COLUMN died_at TEXT NOT NULL DEFAULT '';
ALTER TABLE detainees ADD COLUMN died_at_sort TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE detainees DROP COLUMN died_at_sort;
ALTER TABLE detainees DROP COLUMN died_at;
DROP TABLE search_index_state;
DROP TABLE search_grams;
DROP TABLE search_keys;

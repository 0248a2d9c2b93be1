-- +goose Up
-- Latin queries (pinyin, Uyghur Latin, English) of three letters or more
-- read a trigram GIN index of the search keys (docs/search.md, "Query"):
-- their grams are too common for the gram index to narrow them quickly.
-- Only where pg_trgm exists (0008 creates it when it can); without it the
-- gram index serves every query, as on SQLite. fastupdate off: a write
-- updates the index at once instead of queueing its entries in a pending
-- list that every search would then read through (up to 4 MB) until the
-- next vacuum.
-- +goose StatementBegin
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        CREATE INDEX search_keys_folded_trgm_idx ON search_keys USING gin (folded gin_trgm_ops) WITH (fastupdate = off);
    END IF;
END
$$;
-- +goose StatementEnd

-- +goose Down
DROP INDEX IF EXISTS search_keys_folded_trgm_idx;

-- +goose Up
-- Confidentiality of support actions, partners and lawyers (issue 25, item 3;
-- docs/security.md "Confidential support actions, partners and lawyers").
-- A confidential row is never shown to an observer (lists, counts, search,
-- timeline, exports, PDFs: not found), is marked CONFIDENTIAL in the
-- internal dossier and is left out of every external document. A lawyer
-- marked confidential "must not be named outside" the defence team. Existing
-- rows stay as they were: not confidential.
ALTER TABLE support_actions ADD COLUMN confidential BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE partners ADD COLUMN confidential BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE lawyers ADD COLUMN confidential BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE lawyers DROP COLUMN confidential;
ALTER TABLE partners DROP COLUMN confidential;
ALTER TABLE support_actions DROP COLUMN confidential;

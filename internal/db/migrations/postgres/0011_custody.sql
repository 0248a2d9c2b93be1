-- +goose Up
-- Custody history, sentence and UN consent (docs/custody.md).

-- custody_periods: each period of deprivation of liberty of a case's
-- detainee (measure, place, authority, start and end as partial dates).
-- Consecutive periods are the transfer history; the time-limit engine
-- (internal/deadlines) reads them.
CREATE TABLE custody_periods (
    id                 TEXT PRIMARY KEY,
    case_id            TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    measure            TEXT NOT NULL,
    started_at         TEXT NOT NULL DEFAULT '',
    started_at_sort    TEXT NOT NULL DEFAULT '',
    ended_at           TEXT NOT NULL DEFAULT '',
    ended_at_sort      TEXT NOT NULL DEFAULT '',
    facility_name      TEXT NOT NULL DEFAULT '',
    facility_kind      TEXT NOT NULL DEFAULT '',
    facility_city      TEXT NOT NULL DEFAULT '',
    facility_province  TEXT NOT NULL DEFAULT '',
    authority          TEXT NOT NULL DEFAULT '',
    notes              TEXT NOT NULL DEFAULT '',
    source             TEXT NOT NULL DEFAULT '',
    source_reliability TEXT NOT NULL DEFAULT '',
    confidential       BOOLEAN NOT NULL DEFAULT FALSE,
    version            BIGINT NOT NULL DEFAULT 1,
    created_by         TEXT NOT NULL DEFAULT '',
    created_at         TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP NOT NULL
);
CREATE INDEX custody_periods_case_idx ON custody_periods (case_id, started_at_sort, id);

-- The sentence (kind, term, date in force) and the record of consent to a
-- UN submission live on the case; the expected release date is computed.
ALTER TABLE cases ADD COLUMN sentence_kind TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN sentence_term_months INTEGER;
ALTER TABLE cases ADD COLUMN political_rights_months INTEGER;
ALTER TABLE cases ADD COLUMN sentence_in_force_at TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN sentence_in_force_at_sort TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN un_consent_by TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN un_consent_at TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN un_consent_at_sort TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN un_consent_method TEXT NOT NULL DEFAULT '';
ALTER TABLE detainees ADD COLUMN nationality TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE detainees DROP COLUMN nationality;
ALTER TABLE cases DROP COLUMN un_consent_method;
ALTER TABLE cases DROP COLUMN un_consent_at_sort;
ALTER TABLE cases DROP COLUMN un_consent_at;
ALTER TABLE cases DROP COLUMN un_consent_by;
ALTER TABLE cases DROP COLUMN sentence_in_force_at_sort;
ALTER TABLE cases DROP COLUMN sentence_in_force_at;
ALTER TABLE cases DROP COLUMN political_rights_months;
ALTER TABLE cases DROP COLUMN sentence_term_months;
ALTER TABLE cases DROP COLUMN sentence_kind;
DROP TABLE custody_periods;

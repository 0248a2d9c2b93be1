-- +goose Up
-- Case records: detainees, cases (with charges), lawyers, assignments of
-- lawyers to cases, and shares of cases with observers. Every partial date is
-- stored as its EDTF text (e.g. "2019-03~") and a sort key (earliest day and
-- precision, see internal/partialdate), '' when unknown. search holds the
-- lower-cased NFC forms of every name and case number, one per line, for
-- substring search with LIKE on both databases. Lists of values (other names,
-- cross references, case numbers) are JSON arrays in TEXT columns.

CREATE TABLE detainees (
    id                      TEXT PRIMARY KEY,
    name                    TEXT NOT NULL,
    other_names             TEXT NOT NULL DEFAULT '[]',
    sex                     TEXT NOT NULL DEFAULT '',
    born_at                 TEXT NOT NULL DEFAULT '',
    born_at_sort            TEXT NOT NULL DEFAULT '',
    ethnic_group            TEXT NOT NULL DEFAULT '',
    religion                TEXT NOT NULL DEFAULT '',
    occupation_category     TEXT NOT NULL DEFAULT '',
    occupation              TEXT NOT NULL DEFAULT '',
    home_province           TEXT NOT NULL DEFAULT '',
    home_place              TEXT NOT NULL DEFAULT '',
    issue                   TEXT NOT NULL DEFAULT '',
    detention_status        TEXT NOT NULL DEFAULT '',
    detention_place         TEXT NOT NULL DEFAULT '',
    facility_type           TEXT NOT NULL DEFAULT '',
    health_concerns         TEXT NOT NULL DEFAULT '',
    family_contacts         TEXT NOT NULL DEFAULT '',
    home_address            TEXT NOT NULL DEFAULT '',
    confidential_notes      TEXT NOT NULL DEFAULT '',
    cross_references        TEXT NOT NULL DEFAULT '[]',
    summary                 TEXT NOT NULL DEFAULT '',
    source                  TEXT NOT NULL DEFAULT '',
    source_reliability      TEXT NOT NULL DEFAULT '',
    information_credibility TEXT NOT NULL DEFAULT '',
    search                  TEXT NOT NULL DEFAULT '',
    version                 BIGINT NOT NULL DEFAULT 1,
    created_by              TEXT NOT NULL DEFAULT '',
    created_at              TIMESTAMP NOT NULL,
    updated_at              TIMESTAMP NOT NULL
);
CREATE INDEX detainees_name_idx ON detainees (name, id);
CREATE INDEX detainees_status_idx ON detainees (detention_status);
CREATE INDEX detainees_province_idx ON detainees (home_province);

CREATE TABLE cases (
    id                      TEXT PRIMARY KEY,
    detainee_id             TEXT NOT NULL REFERENCES detainees (id),
    case_numbers            TEXT NOT NULL DEFAULT '[]',
    title                   TEXT NOT NULL DEFAULT '',
    status                  TEXT NOT NULL DEFAULT 'open',
    stage                   TEXT NOT NULL DEFAULT '',
    detaining_authority     TEXT NOT NULL DEFAULT '',
    investigating_authority TEXT NOT NULL DEFAULT '',
    procuratorate           TEXT NOT NULL DEFAULT '',
    court                   TEXT NOT NULL DEFAULT '',
    detention_place         TEXT NOT NULL DEFAULT '',
    detained_at             TEXT NOT NULL DEFAULT '',
    detained_at_sort        TEXT NOT NULL DEFAULT '',
    rsdl_start_at           TEXT NOT NULL DEFAULT '',
    rsdl_start_at_sort      TEXT NOT NULL DEFAULT '',
    rsdl_end_at             TEXT NOT NULL DEFAULT '',
    rsdl_end_at_sort        TEXT NOT NULL DEFAULT '',
    arrest_approved_at      TEXT NOT NULL DEFAULT '',
    arrest_approved_at_sort TEXT NOT NULL DEFAULT '',
    indicted_at             TEXT NOT NULL DEFAULT '',
    indicted_at_sort        TEXT NOT NULL DEFAULT '',
    trial_at                TEXT NOT NULL DEFAULT '',
    trial_at_sort           TEXT NOT NULL DEFAULT '',
    verdict_at              TEXT NOT NULL DEFAULT '',
    verdict_at_sort         TEXT NOT NULL DEFAULT '',
    appeal_at               TEXT NOT NULL DEFAULT '',
    appeal_at_sort          TEXT NOT NULL DEFAULT '',
    sentence_start_at       TEXT NOT NULL DEFAULT '',
    sentence_start_at_sort  TEXT NOT NULL DEFAULT '',
    sentence_end_at         TEXT NOT NULL DEFAULT '',
    sentence_end_at_sort    TEXT NOT NULL DEFAULT '',
    release_at              TEXT NOT NULL DEFAULT '',
    release_at_sort         TEXT NOT NULL DEFAULT '',
    sentence                TEXT NOT NULL DEFAULT '',
    summary                 TEXT NOT NULL DEFAULT '',
    confidential_notes      TEXT NOT NULL DEFAULT '',
    source                  TEXT NOT NULL DEFAULT '',
    source_reliability      TEXT NOT NULL DEFAULT '',
    information_credibility TEXT NOT NULL DEFAULT '',
    search                  TEXT NOT NULL DEFAULT '',
    version                 BIGINT NOT NULL DEFAULT 1,
    created_by              TEXT NOT NULL DEFAULT '',
    created_at              TIMESTAMP NOT NULL,
    updated_at              TIMESTAMP NOT NULL
);
CREATE INDEX cases_detainee_idx ON cases (detainee_id);
CREATE INDEX cases_detained_idx ON cases (detained_at_sort, id);
CREATE INDEX cases_stage_idx ON cases (stage);

-- case_charges: the charges of a case, in order; charge is a vocabulary code
-- (its PRC Criminal Law article is in the vocabulary), detail is free text.
CREATE TABLE case_charges (
    id       TEXT PRIMARY KEY,
    case_id  TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    charge   TEXT NOT NULL,
    detail   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_charges_case_idx ON case_charges (case_id, position);
CREATE INDEX case_charges_charge_idx ON case_charges (charge, case_id);

-- lawyers: user_id links the lawyer to a user account (role lawyer), at most one.
CREATE TABLE lawyers (
    id                 TEXT PRIMARY KEY,
    user_id            TEXT REFERENCES users (id),
    name               TEXT NOT NULL,
    other_names        TEXT NOT NULL DEFAULT '[]',
    law_firm           TEXT NOT NULL DEFAULT '',
    licence_number     TEXT NOT NULL DEFAULT '',
    jurisdiction       TEXT NOT NULL DEFAULT '',
    licence_status     TEXT NOT NULL DEFAULT '',
    risk_status        TEXT NOT NULL DEFAULT '[]',
    contact            TEXT NOT NULL DEFAULT '',
    confidential_notes TEXT NOT NULL DEFAULT '',
    search             TEXT NOT NULL DEFAULT '',
    version            BIGINT NOT NULL DEFAULT 1,
    created_by         TEXT NOT NULL DEFAULT '',
    created_at         TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX lawyers_user_key ON lawyers (user_id);
CREATE INDEX lawyers_name_idx ON lawyers (name, id);

-- assignments: a lawyer on a case. Only status 'active' gives the lawyer's
-- user access to the case (internal/access).
CREATE TABLE assignments (
    id              TEXT PRIMARY KEY,
    case_id         TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    lawyer_id       TEXT NOT NULL REFERENCES lawyers (id),
    role            TEXT NOT NULL,
    status          TEXT NOT NULL,
    started_at      TEXT NOT NULL DEFAULT '',
    started_at_sort TEXT NOT NULL DEFAULT '',
    ended_at        TEXT NOT NULL DEFAULT '',
    ended_at_sort   TEXT NOT NULL DEFAULT '',
    notes           TEXT NOT NULL DEFAULT '',
    version         BIGINT NOT NULL DEFAULT 1,
    created_by      TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);
CREATE INDEX assignments_case_idx ON assignments (case_id, id);
CREATE INDEX assignments_lawyer_idx ON assignments (lawyer_id, status, case_id);

-- case_shares: a case shared read-only with an observer; revoked_at ends it.
CREATE TABLE case_shares (
    id         TEXT PRIMARY KEY,
    case_id    TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users (id),
    created_by TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP,
    revoked_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_shares_case_idx ON case_shares (case_id, id);
CREATE INDEX case_shares_user_idx ON case_shares (user_id, case_id);
CREATE UNIQUE INDEX case_shares_active_key ON case_shares (case_id, user_id) WHERE revoked_at IS NULL;

-- +goose Down
DROP TABLE case_shares;
DROP TABLE assignments;
DROP TABLE lawyers;
DROP TABLE case_charges;
DROP TABLE cases;
DROP TABLE detainees;

-- +goose Up
-- Several detainees per case (issue 25, docs/case-records.md "Detainees in
-- a case"): the case's own detainee (cases.detainee_id) is its principal
-- defendant and stays where it is; this table holds the others, each with
-- a role (defendant, co_defendant, witness). One link per detainee and
-- case. The links go with their case; a detainee linked to a case is not
-- deleted (the service refuses, as for a detainee with cases).
CREATE TABLE case_detainees (
    id              TEXT PRIMARY KEY,
    case_id         TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    detainee_id     TEXT NOT NULL REFERENCES detainees (id),
    role            TEXT NOT NULL,
    note            TEXT NOT NULL DEFAULT '',
    version         BIGINT NOT NULL DEFAULT 1,
    created_by      TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX case_detainees_case_detainee_idx ON case_detainees (case_id, detainee_id);
-- The visibility rule (a detainee linked to a case the caller sees) and the
-- case list's detainee filter start from the detainee.
CREATE INDEX case_detainees_detainee_idx ON case_detainees (detainee_id, case_id);

-- +goose Down
DROP TABLE case_detainees;

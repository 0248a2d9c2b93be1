-- +goose Up
-- Campaigns and crackdowns (issue 25, docs/campaigns.md): a named group of
-- cases ("709 crackdown", "Hong Kong NSL") with a description and dates that
-- coordinators report on as a whole. started_at and ended_at are partial
-- dates (YYYY, YYYY-MM or YYYY-MM-DD, "~" when approximate; '' unknown)
-- with their sort keys, like every date of the record. name_key is the
-- cleaned, lower-cased name: unique, so two campaigns never share a name.
CREATE TABLE campaigns (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    name_key        TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    started_at      TEXT NOT NULL DEFAULT '',
    started_at_sort TEXT NOT NULL DEFAULT '',
    ended_at        TEXT NOT NULL DEFAULT '',
    ended_at_sort   TEXT NOT NULL DEFAULT '',
    version         BIGINT NOT NULL DEFAULT 1,
    created_by      TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX campaigns_name_key_idx ON campaigns (name_key);

-- The cases of a campaign: a case belongs to a campaign at most once. A case
-- deleted leaves its campaigns (ON DELETE CASCADE).
CREATE TABLE campaign_cases (
    campaign_id TEXT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    case_id     TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    added_by    TEXT NOT NULL DEFAULT '',
    added_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (campaign_id, case_id)
);
CREATE INDEX campaign_cases_case_idx ON campaign_cases (case_id, campaign_id);

-- +goose Down
DROP TABLE campaign_cases;
DROP TABLE campaigns;

-- +goose Up
-- International support (issue 8): partners (organisations that act for a
-- case: UN bodies, embassies, NGOs, bar associations, media, funders), the
-- observer accounts linked to them, support actions on a case (the HURIDOCS
-- "intervention") and the history of each action's status changes (for the
-- case timeline). Dates requested_at and due_at are calendar days
-- "YYYY-MM-DD" ('' when unknown). amount_minor is the grant in the minor unit
-- of the ISO 4217 currency (cents for EUR; yen for JPY). An action is assigned
-- to at most one of a user and a partner. contacts and notes of a partner are
-- confidential (never shown to observers).
CREATE TABLE partners (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    country     TEXT NOT NULL DEFAULT '',
    notes       TEXT NOT NULL DEFAULT '',
    contacts    TEXT NOT NULL DEFAULT '',
    search      TEXT NOT NULL DEFAULT '',
    version     BIGINT NOT NULL DEFAULT 1,
    created_by  TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX partners_name_idx ON partners (name, id);

-- An observer account belongs to at most one partner.
CREATE TABLE partner_users (
    user_id     TEXT PRIMARY KEY REFERENCES users (id),
    partner_id  TEXT NOT NULL REFERENCES partners (id),
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX partner_users_partner_idx ON partner_users (partner_id);

CREATE TABLE support_actions (
    id                  TEXT PRIMARY KEY,
    case_id             TEXT NOT NULL REFERENCES cases (id),
    type                TEXT NOT NULL,
    status              TEXT NOT NULL,
    priority            TEXT NOT NULL DEFAULT 'normal',
    addressee           TEXT NOT NULL DEFAULT '',
    description         TEXT NOT NULL DEFAULT '',
    assignee_user_id    TEXT REFERENCES users (id),
    assignee_partner_id TEXT REFERENCES partners (id),
    requested_at        TEXT NOT NULL DEFAULT '',
    due_at              TEXT NOT NULL DEFAULT '',
    response            TEXT NOT NULL DEFAULT '',
    impact              TEXT NOT NULL DEFAULT '',
    notes               TEXT NOT NULL DEFAULT '',
    amount_minor        BIGINT,
    currency            TEXT NOT NULL DEFAULT '',
    evidence_ids        TEXT NOT NULL DEFAULT '[]',
    version             BIGINT NOT NULL DEFAULT 1,
    created_by          TEXT NOT NULL DEFAULT '',
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL,
    CHECK (assignee_user_id IS NULL OR assignee_partner_id IS NULL)
);
CREATE INDEX support_actions_case_idx ON support_actions (case_id, id);
CREATE INDEX support_actions_status_idx ON support_actions (status, due_at);
CREATE INDEX support_actions_user_idx ON support_actions (assignee_user_id);
CREATE INDEX support_actions_partner_idx ON support_actions (assignee_partner_id);

-- One row per status an action entered, its creation included (from_status '').
CREATE TABLE support_action_changes (
    id          TEXT PRIMARY KEY,
    action_id   TEXT NOT NULL REFERENCES support_actions (id),
    case_id     TEXT NOT NULL REFERENCES cases (id),
    from_status TEXT NOT NULL DEFAULT '',
    to_status   TEXT NOT NULL,
    changed_by  TEXT NOT NULL DEFAULT '',
    changed_at  TIMESTAMP NOT NULL
);
CREATE INDEX support_action_changes_action_idx ON support_action_changes (action_id, changed_at);
CREATE INDEX support_action_changes_case_idx ON support_action_changes (case_id, changed_at);

-- +goose Down
DROP TABLE support_action_changes;
DROP TABLE support_actions;
DROP TABLE partner_users;
DROP TABLE partners;

-- +goose Up
-- Case timeline (issue 6): events, their revisions, hearings and calendar feeds.
--
-- case_events: what happened in a case. occurred_at is the date as recorded:
-- EDTF ("2024-03", "2024-03-05~") or an RFC 3339 timestamp (precision
-- 'time'); sort_key orders the timeline (see internal/timeline/when.go and
-- docs/timeline.md); date_precision is year, month, day or time. obstacle is set from the type's vocabulary entry, so
-- obstacles can be counted in SQL. sort_key is compared bytewise (COLLATE "C"),
-- as the service merges keys from several tables in Go. An event is never erased: every change
-- writes a row of case_event_revisions (the full state after the change), and
-- a deletion is a soft delete (deleted_at, delete_reason). evidence_ids is a
-- JSON array of evidence ids of the same case; lawyer_id the lawyer concerned.
CREATE TABLE case_events (
    id                      TEXT PRIMARY KEY,
    case_id                 TEXT NOT NULL REFERENCES cases (id),
    type                    TEXT NOT NULL,
    obstacle                BOOLEAN NOT NULL DEFAULT FALSE,
    occurred_at             TEXT NOT NULL,
    date_precision          TEXT NOT NULL,
    approximate             BOOLEAN NOT NULL DEFAULT FALSE,
    sort_key                TEXT COLLATE "C" NOT NULL,
    place                   TEXT NOT NULL DEFAULT '',
    description             TEXT NOT NULL DEFAULT '',
    source                  TEXT NOT NULL DEFAULT '',
    source_reliability      TEXT NOT NULL DEFAULT '',
    information_credibility TEXT NOT NULL DEFAULT '',
    confidential            BOOLEAN NOT NULL DEFAULT FALSE,
    lawyer_id               TEXT,
    evidence_ids            TEXT NOT NULL DEFAULT '[]',
    extension_months        INTEGER NOT NULL DEFAULT 0,
    version                 BIGINT NOT NULL DEFAULT 1,
    created_by              TEXT NOT NULL DEFAULT '',
    created_at              TIMESTAMP NOT NULL,
    updated_by              TEXT NOT NULL DEFAULT '',
    updated_at              TIMESTAMP NOT NULL,
    deleted_at              TIMESTAMP,
    deleted_by              TEXT NOT NULL DEFAULT '',
    delete_reason           TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_events_timeline_idx ON case_events (case_id, sort_key, id);
CREATE INDEX case_events_type_idx ON case_events (type, obstacle);

-- case_event_revisions: one row per version of an event (create, update,
-- delete), with the event's fields as they were after that change (JSON).
CREATE TABLE case_event_revisions (
    id          TEXT PRIMARY KEY,
    event_id    TEXT NOT NULL REFERENCES case_events (id),
    version     BIGINT NOT NULL,
    change      TEXT NOT NULL,
    state       TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    changed_by  TEXT NOT NULL DEFAULT '',
    changed_at  TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX case_event_revisions_idx ON case_event_revisions (event_id, version);

-- hearings: scheduled_at is the instant (UTC); time_zone the court's IANA zone
-- (local time is shown in it). The *_admitted columns are NULL when unknown.
CREATE TABLE hearings (
    id                       TEXT PRIMARY KEY,
    case_id                  TEXT NOT NULL REFERENCES cases (id),
    scheduled_at             TIMESTAMP NOT NULL,
    time_zone                TEXT NOT NULL,
    sort_key                 TEXT COLLATE "C" NOT NULL,
    court                    TEXT NOT NULL DEFAULT '',
    type                     TEXT NOT NULL,
    status                   TEXT NOT NULL,
    outcome                  TEXT NOT NULL DEFAULT '',
    defense_lawyer_admitted  BOOLEAN,
    family_admitted          BOOLEAN,
    diplomats_admitted       BOOLEAN,
    other_observers_admitted BOOLEAN,
    observers                TEXT NOT NULL DEFAULT '',
    notes                    TEXT NOT NULL DEFAULT '',
    confidential             BOOLEAN NOT NULL DEFAULT FALSE,
    version                  BIGINT NOT NULL DEFAULT 1,
    created_by               TEXT NOT NULL DEFAULT '',
    created_at               TIMESTAMP NOT NULL,
    updated_at               TIMESTAMP NOT NULL
);
CREATE INDEX hearings_case_idx ON hearings (case_id, sort_key, id);
CREATE INDEX hearings_scheduled_idx ON hearings (scheduled_at, id);

-- calendar_feeds: a user's secret iCalendar feed URL. Only the SHA-256 of the
-- secret is kept; a user has at most one active feed (revoked_at NULL).
CREATE TABLE calendar_feeds (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id),
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TIMESTAMP NOT NULL,
    revoked_at  TIMESTAMP
);
CREATE INDEX calendar_feeds_user_idx ON calendar_feeds (user_id, revoked_at);

-- +goose Down
DROP TABLE calendar_feeds;
DROP TABLE hearings;
DROP TABLE case_event_revisions;
DROP TABLE case_events;

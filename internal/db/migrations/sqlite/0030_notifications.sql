-- +goose Up
-- Notifications (issue 26, docs/notifications.md). The scanner (a periodic
-- job on the queue, run by one replica at a time) finds what is due in the
-- record and writes:
--   notification_events: one row per thing that happened or falls due (a
--     time limit due on a date, a hearing tomorrow, an audit entry of a
--     lockout...), keyed by a stable dedupe key: a scan run twice, or by two
--     processes at once, inserts each event once (ON CONFLICT DO NOTHING);
--   notifications: one row per event and recipient (the in-app inbox),
--     unique per (user, event key); access is checked again whenever the
--     inbox is read and when an e-mail is delivered;
--   notification_outbox: one row per e-mail (immediate batch or daily
--     digest) or webhook delivery, with its idempotency key (unique): the
--     delivery job works the row once; a delivery that was sent is never
--     sent again, whatever the job does.
CREATE TABLE notification_events (
    key         TEXT PRIMARY KEY,
    rule        TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id   TEXT NOT NULL,
    case_id     TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX notification_events_created_idx ON notification_events (created_at);

CREATE TABLE notifications (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id),
    event_key   TEXT NOT NULL REFERENCES notification_events (key),
    rule        TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id   TEXT NOT NULL,
    case_id     TEXT NOT NULL DEFAULT '',
    subject     TEXT NOT NULL DEFAULT '',
    due_at      TEXT NOT NULL DEFAULT '',
    email_state TEXT NOT NULL DEFAULT 'none' CHECK (email_state IN ('none', 'digest', 'queued')),
    created_at  TIMESTAMP NOT NULL,
    read_at     TIMESTAMP
);
CREATE UNIQUE INDEX notifications_user_event_key ON notifications (user_id, event_key);
CREATE INDEX notifications_user_created_idx ON notifications (user_id, created_at, id);
CREATE INDEX notifications_digest_idx ON notifications (email_state, user_id);

-- notification_settings: a user's choices; no row = the defaults. rules is
-- a JSON object of the rules the user changed: {"rule": {"inbox": bool,
-- "email": bool, "days": n}}.
CREATE TABLE notification_settings (
    user_id        TEXT PRIMARY KEY REFERENCES users (id),
    language       TEXT NOT NULL DEFAULT 'en',
    time_zone      TEXT NOT NULL DEFAULT 'UTC',
    email_mode     TEXT NOT NULL DEFAULT 'immediate' CHECK (email_mode IN ('immediate', 'daily', 'off')),
    digest_hour    INTEGER NOT NULL DEFAULT 8,
    quiet_start    TEXT NOT NULL DEFAULT '',
    quiet_end      TEXT NOT NULL DEFAULT '',
    rules          TEXT NOT NULL DEFAULT '{}',
    last_digest_at TIMESTAMP,
    updated_at     TIMESTAMP NOT NULL
);

-- case_follows: the cases a user follows (new events of the case reach them).
CREATE TABLE case_follows (
    user_id    TEXT NOT NULL REFERENCES users (id),
    case_id    TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, case_id)
);
CREATE INDEX case_follows_case_idx ON case_follows (case_id, user_id);

-- notification_outbox: e-mails and webhook posts to make. payload is JSON:
-- the notification ids of an e-mail, the event keys of a webhook post.
CREATE TABLE notification_outbox (
    id              TEXT PRIMARY KEY,
    channel         TEXT NOT NULL CHECK (channel IN ('email', 'webhook')),
    idempotency_key TEXT NOT NULL,
    user_id         TEXT NOT NULL DEFAULT '',
    rule            TEXT NOT NULL DEFAULT '',
    payload         TEXT NOT NULL DEFAULT '{}',
    state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'withheld', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL,
    sent_at         TIMESTAMP
);
CREATE UNIQUE INDEX notification_outbox_key ON notification_outbox (idempotency_key);
CREATE INDEX notification_outbox_state_idx ON notification_outbox (state, created_at);

-- +goose Down
DROP TABLE notification_outbox;
DROP TABLE case_follows;
DROP TABLE notification_settings;
DROP TABLE notifications;
DROP TABLE notification_events;

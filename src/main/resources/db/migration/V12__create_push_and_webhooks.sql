-- Push notifications and webhooks (issue 10). Both are derived from the catch-up log (events, V3) by a consumer
-- that keeps its own cursor, so a send writes nothing more than it did: the notify consumer reads the log after
-- the commit, decides who is to be told, and queues the pushes (and a webhook delivery) in the transaction that
-- moves its cursor.

-- A push target: an FCM or APNs token, or a Web Push subscription (its endpoint is the token). A token belongs
-- to whoever registered it last, so (platform, token) is unique.
CREATE TABLE devices (
    device_id  uuid        PRIMARY KEY,
    user_id    uuid        NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    platform   text        NOT NULL CHECK (platform IN ('fcm', 'apns', 'webpush')),
    token      text        NOT NULL,
    p256dh     text,
    auth       text,
    locale     text,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX idx_devices_platform_token ON devices (platform, token);
CREATE INDEX idx_devices_user_id ON devices (user_id, created_at);

-- Per user: how much of a message a notification shows. No row: full.
CREATE TABLE notification_settings (
    user_id  uuid PRIMARY KEY REFERENCES users (user_id) ON DELETE CASCADE,
    previews text NOT NULL CHECK (previews IN ('full', 'sender', 'none'))
);

-- Where each consumer of the catch-up log has read to: (xid, event_id) of the last event handled, as the search
-- indexer's cursor (V6). A consumer only reads events of transactions below the oldest one still running, so an
-- event that commits late is never passed over; it moves its cursor in the transaction of the work it queues.
CREATE TABLE log_consumers (
    consumer   text        PRIMARY KEY,
    xid        xid8        NOT NULL,
    event_id   bigint      NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO log_consumers (consumer, xid, event_id) SELECT 'notify', pg_snapshot_xmin(pg_current_snapshot()), -1;

-- Pushes waiting for their provider. One row per device and collapse key (the conversation): a newer push for
-- the same pair replaces the payload of one not sent yet (rev counts the replacements), so a burst costs one
-- request per device. Workers claim due rows with FOR UPDATE SKIP LOCKED and lease them (due_at moves ahead);
-- a row is deleted once its provider accepted it, or its device is gone. A worker that dies leaves its lease to
-- expire, and the row is sent again: at least once, and the collapse id makes a repeat replace, not add.
CREATE TABLE push_queue (
    push_id      bigserial   PRIMARY KEY,
    device_id    uuid        NOT NULL REFERENCES devices (device_id) ON DELETE CASCADE,
    collapse_key text        NOT NULL,
    payload      jsonb       NOT NULL,
    rev          integer     NOT NULL DEFAULT 0,
    attempts     integer     NOT NULL DEFAULT 0,
    due_at       timestamptz NOT NULL,
    created_at   timestamptz NOT NULL
);
CREATE UNIQUE INDEX idx_push_queue_device_id_collapse_key ON push_queue (device_id, collapse_key);
CREATE INDEX idx_push_queue_due_at ON push_queue (due_at);

-- Webhook deliveries, sent strictly in id order, one at a time across the cluster; the delivery id is the
-- Parley-Webhook-Id header and stays the same on every retry.
CREATE TABLE webhook_deliveries (
    seq             bigserial   PRIMARY KEY,
    delivery_id     uuid        NOT NULL UNIQUE,
    body            text        NOT NULL,
    events          integer     NOT NULL,
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    created_at      timestamptz NOT NULL,
    last_status     integer,
    last_error      text
);

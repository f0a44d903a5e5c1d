-- The catch-up log behind GET /sync and GET /events. Each row is written in the transaction of the change it
-- records, so the log never disagrees with the tables: a rolled-back change leaves no event, a committed one
-- always has its event.
--
-- event_id comes from a sequence and so commits out of order; xid says which transaction wrote the row. Readers
-- only return rows with xid below the oldest transaction still running (pg_snapshot_xmin), ordered by
-- (xid, event_id): every transaction below that horizon has finished, so nothing can later appear before a
-- cursor already handed out.
CREATE TABLE events (
    event_id        bigserial PRIMARY KEY,
    xid             xid8        NOT NULL DEFAULT pg_current_xact_id(),
    conversation_id uuid        NOT NULL,
    type            text        NOT NULL,
    actor_id        uuid,
    message_id      uuid,
    -- Small facts only (seq, emoji, target user, role); messages are read from messages when a client syncs.
    data            jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at      timestamptz NOT NULL DEFAULT now()
);

-- Sync walks the caller's active conversations and reads each one's events after the cursor in commit order.
CREATE INDEX idx_events_conversation_xid ON events (conversation_id, xid, event_id);
-- The one event a removed participant still gets of a conversation: the removal itself.
CREATE INDEX idx_events_removed_user ON events ((data ->> 'user_id'), xid, event_id)
    WHERE type = 'participant.removed';
-- Retention purge.
CREATE INDEX idx_events_created_at ON events (created_at);

-- The newest (xid, event_id) the retention purge has removed: a cursor below it may have missed events.
CREATE TABLE event_purges (
    id              boolean PRIMARY KEY DEFAULT TRUE CHECK (id),
    purged_xid      xid8   NOT NULL,
    purged_event_id bigint NOT NULL
);
INSERT INTO event_purges (purged_xid, purged_event_id) VALUES ('0', 0);

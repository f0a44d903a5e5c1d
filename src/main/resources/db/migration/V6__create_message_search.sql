-- Full-text search moves off the send path and onto the caller's own conversations.
--
-- Before: an expression GIN index on messages (to_tsvector('english', content)) was kept up by every send, inside
-- its transaction (about 1.2 ms of database time per message, and the worst send-latency spikes when a sender
-- happened to merge the index's pending list), while search matched the text of every message in the database
-- and only then dropped those of other people's conversations.
--
-- After: message_search holds one row per searchable message (text and image captions; not system messages, not
-- tombstones), filled in the background from the catch-up log by one indexer at a time (SearchIndexer), so
-- search trails sends by about a second. Its GIN index leads with conversation_id (btree_gin), so a search looks
-- up (conversation, word) pairs for the caller's own conversations only: its cost follows the caller's messages,
-- not everyone's.

-- Trusted since PostgreSQL 13: the database owner may create it without superuser rights.
CREATE EXTENSION IF NOT EXISTS btree_gin;

-- No foreign key to conversations: its check would take a key-share lock on the conversation's row for every
-- indexed message, the row every send updates. A row of a conversation that no longer has participants is never
-- read (searches start from the caller's active conversations).
CREATE TABLE message_search (
    conversation_id uuid        NOT NULL,
    seq             bigint      NOT NULL,
    -- The message's own created_at: results are ordered by it, and it lets the lookup of the message skip the
    -- other months' partitions.
    created_at      timestamptz NOT NULL,
    message_id      uuid        NOT NULL,
    tsv             tsvector    NOT NULL,
    PRIMARY KEY (conversation_id, seq)
);

-- Where the indexer has read the catch-up log to, as sync keeps a client's cursor: (xid, event_id) of the last
-- event handled. The indexer only reads events of transactions below the oldest one still running, so an event
-- that commits late (a long transaction) is never passed over. Its row lock is also what keeps the indexer to one
-- node at a time.
CREATE TABLE message_search_cursor (
    id         boolean PRIMARY KEY DEFAULT TRUE CHECK (id),
    xid        xid8        NOT NULL,
    event_id   bigint      NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- The events this migration does not need to replay: every transaction below this horizon has finished, so the
-- backfill below (a later snapshot) sees its changes. Events of later transactions are replayed by the indexer;
-- replaying one whose change the backfill already saw only rewrites the same row.
INSERT INTO message_search_cursor (xid, event_id) SELECT pg_snapshot_xmin(pg_current_snapshot()), -1;

-- The existing messages, which the catch-up log (kept 30 days) may no longer describe. Same rule as the indexer.
INSERT INTO message_search (conversation_id, seq, created_at, message_id, tsv)
SELECT conversation_id, seq, created_at, message_id, to_tsvector('english', content)
FROM messages
WHERE message_type IN ('text', 'image') AND NOT is_deleted AND content IS NOT NULL;

-- Built after the backfill (much faster than row by row). Searches look up (conversation_id, lexeme) pairs.
CREATE INDEX idx_message_search_conversation_tsv ON message_search USING gin (conversation_id, tsv);

-- The indexer reads the message events in commit-horizon order, across all conversations. Partial, so the other
-- events (receipts, reactions, membership) cost nothing here; one small append-only btree entry per send.
CREATE INDEX idx_events_message_changes ON events (xid, event_id)
    WHERE type IN ('message.new', 'message.updated', 'message.deleted');

-- Last, because it locks messages exclusively until this migration commits: sends wait only for the commit.
DROP INDEX idx_messages_content_gin;

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

-- Keyed by message_id, not (conversation_id, seq): a btree leading with conversation_id would let the planner
-- pair it with a word-only scan of the GIN index (a BitmapAnd), whose cost is every stored message holding the
-- word, everyone's; measured, that made global search three times slower with 1,000,000 other messages stored.
-- With this key the GIN index is the only way to a conversation's rows, and it looks them up by (conversation,
-- word). No foreign key to conversations either: its check would take a key-share lock on the conversation's
-- row, the row every send updates, for each indexed message; a row of a conversation without participants is
-- never read, since searches start from the caller's active conversations.
CREATE TABLE message_search (
    message_id      uuid        PRIMARY KEY,
    conversation_id uuid        NOT NULL,
    -- Where the message sits: results are ordered by (created_at, conversation_id, seq), and created_at lets the
    -- lookup of the message skip the other months' partitions.
    seq             bigint      NOT NULL,
    created_at      timestamptz NOT NULL,
    tsv             tsvector    NOT NULL
);

-- Where the indexer has read the catch-up log to, as sync keeps a client's cursor: (xid, event_id) of the last
-- event handled. The indexer only reads events of transactions below the oldest one still running, so an event
-- that commits late (a long transaction) is never passed over.
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
INSERT INTO message_search (message_id, conversation_id, seq, created_at, tsv)
SELECT message_id, conversation_id, seq, created_at, to_tsvector('english', content)
FROM messages
WHERE message_type IN ('text', 'image') AND NOT is_deleted AND content IS NOT NULL;

-- Built after the backfill (much faster than row by row). Searches look up (conversation_id, lexeme) pairs.
-- New entries wait in the GIN pending list until it outgrows gin_pending_list_limit, and every search reads the
-- whole list once per conversation searched: with the default 4 MB that list (everyone's recent messages) was
-- most of a search's cost (measured: 4,466 pending entries made a 5-conversation search read 441 buffers instead
-- of 66, 6.6 ms instead of 0.2 ms). 64 kB (the least allowed) keeps that to 8 pages, while the indexer still
-- merges entries in bulk, at about half the cost of fastupdate = off (measured on 100,000 rows).
CREATE INDEX idx_message_search_conversation_tsv ON message_search USING gin (conversation_id, tsv)
    WITH (gin_pending_list_limit = 64);

-- The indexer reads the message events in commit-horizon order, across all conversations. Partial, so the other
-- events (receipts, reactions, membership) cost nothing here; one small append-only btree entry per send.
CREATE INDEX idx_events_message_changes ON events (xid, event_id)
    WHERE type IN ('message.new', 'message.updated', 'message.deleted');

-- Last, because it locks messages exclusively until this migration commits: sends wait only for the commit.
DROP INDEX idx_messages_content_gin;

-- What every send paid for and nothing needed (issue 13: PostgreSQL's cost per message at everyday load). Measured
-- with EXPLAIN (ANALYZE, BUFFERS), pg_stat_statements and pg_statio on PostgreSQL 15 with 1,000,000 messages stored
-- (docs/benchmarks.md): a one-message send touched 64.5 shared buffers; after this, 47.5.
--
-- 1. Three btree indexes on messages become one. idx_messages_conversation_seq (history, gap fill, the list's last
--    message, receipts) and idx_messages_conversation_unread (unread counts: the same key, partial, sender
--    included) each took an entry per message; one index on the same key that includes what the unread count
--    filters on serves both, the count still an index-only scan (checked with EXPLAIN: the filter on
--    is_deleted, message_type and sender_id is applied to the index entries). idx_messages_conversation_time
--    (conversation_id, created_at DESC) was chosen by no statement: every read of a conversation's messages goes by
--    seq, by primary key, by sender (export, erasure), by expires_at (expiry) or by partition (retention).
--    Three entries (about 9 buffers) a message become one (3). IF NOT EXISTS: on a large table an operator may
--    build it beforehand without blocking sends, partition by partition (docs/upgrading.md, V20).
CREATE INDEX IF NOT EXISTS idx_messages_conversation_seq_standing ON messages (conversation_id, seq)
    INCLUDE (sender_id, is_deleted, message_type);
DROP INDEX idx_messages_conversation_seq;
DROP INDEX idx_messages_conversation_unread;
DROP INDEX idx_messages_conversation_time;

-- 2. The two foreign keys of messages, checked by a trigger after every inserted row (9 buffers, a key-share lock
--    on the sender's users row, which dirties its page and writes WAL on every send, and two fetches of the new
--    row to hand it to the triggers). What they guarded is guaranteed in the statement that inserts:
--    - conversation_id: every message is inserted in the statement (or transaction) that updates its
--      conversation's row to take its seq (the insert joins the UPDATE ... RETURNING), and the send locks that row
--      before; a conversation row that is gone yields no seq and so no message, and nobody can delete it while the
--      send holds it. Conversations are never deleted (no statement does), so the check's ON DELETE CASCADE had
--      nothing to do; should an operator delete one, its messages stay (delete them first).
--    - sender_id: a user message is inserted only for a sender that member_standing finds an active participant
--      of the conversation in the same statement, and conversation_participants.user_id references users
--      (participant rows are never deleted: leaving sets left_at), so the sender's users row exists and cannot
--      be deleted while the participant row does. System messages name the member who acted, checked by their
--      callers in the same transaction. Users are never deleted either (account deletion marks deleted_at and
--      erases content in place).
ALTER TABLE messages DROP CONSTRAINT messages_conversation_id_fkey;
ALTER TABLE messages DROP CONSTRAINT messages_sender_id_fkey;

-- 3. Off the send path: the search indexer leaves out end-to-end encrypted conversations, and asked the
--    conversations' primary key for each message it indexed (3 buffers a message, 3,000 of a batch's 21,700 with
--    1,000,000 stored). This index holds the encrypted conversations alone, so the same question reads one page
--    for the whole batch. A send's update of its conversation's row changes neither column, so it stays HOT.
CREATE INDEX idx_conversations_e2ee ON conversations (conversation_id) WHERE e2ee;

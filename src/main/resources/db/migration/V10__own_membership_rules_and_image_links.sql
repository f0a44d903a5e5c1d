-- One owner per rule (issue 9). Who is an active member of a conversation, and when a block silences one in a direct
-- conversation, are defined here once, and every statement that needs them reads these views instead of repeating
-- their predicates (the membership feature owns them; OwnershipTest fails on a copy elsewhere).
--
-- Both views are simple enough for the planner to inline: a statement reading them gets the plan it got with the
-- predicates written out (checked with EXPLAIN ANALYZE on the send statement, the hot path: same index scans,
-- same buffers), and the partial indexes on left_at IS NULL still apply.

-- Active participants: every column of conversation_participants, for the rows that have not left. A simple view,
-- so it can be updated and locked (SELECT ... FOR UPDATE, UPDATE ... SET left_at) as the table itself.
CREATE VIEW active_participants AS
SELECT participant_id, conversation_id, user_id, role, joined_at, left_at, is_muted, muted_until, hidden_until_seq,
       last_read_message_id
FROM conversation_participants
WHERE left_at IS NULL;

-- An active participant's standing: role, the conversation's type, and whether a block stands between them and the
-- other side of a direct conversation (either side blocked the other). A blocked member may read but not send or
-- react; groups are guarded against blocks when members are added instead.
CREATE VIEW member_standing AS
SELECT p.conversation_id, p.user_id, p.role, c.type AS conversation_type,
       c.type = 'direct' AND EXISTS (
           SELECT 1 FROM conversation_participants o
           JOIN blocks b ON (b.blocker_id = o.user_id AND b.blocked_id = p.user_id)
                         OR (b.blocker_id = p.user_id AND b.blocked_id = o.user_id)
           WHERE o.conversation_id = p.conversation_id AND o.user_id <> p.user_id) AS blocked
FROM active_participants p
JOIN conversations c ON c.conversation_id = p.conversation_id;

-- One link between an image message and its attachment. It was stored twice: in message_attachments.message_id
-- (set when a send claims the attachment, in the send's transaction) and as attachment_id in the message's
-- metadata. The attachment's row keeps it; reads build the metadata's attachment_id from that row, so the wire is
-- unchanged. First, any image message whose attachment row lacks the link gets it back from the copy (none should:
-- both were written in one transaction); then the copy goes. One pass over messages, touching image messages only.
UPDATE message_attachments a
SET message_id = m.message_id, conversation_id = m.conversation_id
FROM messages m
WHERE m.message_type = 'image'
  -- CASE, so that a value that is not a UUID is never cast (and cannot fail the migration).
  AND a.attachment_id = CASE WHEN m.metadata ->> 'attachment_id' ~* '^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$'
                             THEN CAST(m.metadata ->> 'attachment_id' AS uuid) END
  AND a.message_id IS NULL;

UPDATE messages SET metadata = metadata - 'attachment_id'
WHERE message_type = 'image' AND metadata ? 'attachment_id';

-- Conversation rows carry a preview of their participants (the first few in join order) and a count of them, and
-- GET /conversations/{id}/participants pages through the rest in the same order. This index serves all three
-- from the active participants alone: a preview reads a handful of entries rather than sorting a whole group of
-- up to 1,000, a page starts at its cursor, and the count is an index-only scan.
CREATE INDEX idx_conversation_participants_conversation_joined
    ON conversation_participants (conversation_id, joined_at, user_id)
    WHERE left_at IS NULL;

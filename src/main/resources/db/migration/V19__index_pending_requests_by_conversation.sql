-- Under the contact policy `requests`, every message asks who a request waits for in its conversation, to tell
-- them live that their requests folder changed (request.updated). Requests are few; this index holds them alone,
-- so that a send into a group of up to 1,000 members reads no participant row when none waits.
CREATE INDEX idx_conversation_participants_pending
    ON conversation_participants (conversation_id, user_id)
    WHERE left_at IS NULL AND request_state = 'pending';

-- Who may talk to whom (issue 16): contacts, and conversations or group invitations that wait as requests.

-- Contacts of Parley's own accounts, and the pairs an admin pushed in bulk (PUT /admin/contacts). One row per
-- direction: (a, b) says "a wants b as a contact". Both rows make a contact; one alone is a request (outgoing for
-- a, incoming for b). A bulk pair writes both rows at once.
CREATE TABLE contacts (
    user_id    uuid        NOT NULL REFERENCES users ON DELETE CASCADE,
    contact_id uuid        NOT NULL REFERENCES users ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (user_id, contact_id),
    CONSTRAINT ck_contacts_not_self CHECK (user_id <> contact_id)
);
CREATE INDEX idx_contacts_contact_id ON contacts (contact_id, user_id);

-- A participant row may be a request rather than a membership: the recipient of a direct conversation, or the
-- invitee of a group, that someone who is not their contact started under the `requests` policy. 'pending' waits
-- in the recipient's requests folder; 'declined' is kept so that, for the requester, a declined request reads
-- exactly as an unanswered one. requested_by: who started it (the inviter of a group).
ALTER TABLE conversation_participants
    ADD COLUMN request_state text CHECK (request_state IN ('pending', 'declined')),
    ADD COLUMN requested_by  uuid REFERENCES users ON DELETE SET NULL;

-- A request is not a membership: everything that reads active_participants (fan-out, push and webhook
-- notifications, receipts, typing, presence, sync, search, attachments, reactions, unread badges) leaves a pending
-- recipient out, with no rule of its own. Same columns as before, so the view stays updatable and its readers
-- unchanged.
CREATE OR REPLACE VIEW active_participants AS
SELECT participant_id, conversation_id, user_id, role, joined_at, left_at, is_muted, muted_until, hidden_until_seq,
       last_read_message_id
FROM conversation_participants
WHERE left_at IS NULL AND request_state IS NULL;

-- The recipient's side of a request that waits for an answer: the requests folder, and what the recipient may read
-- of it (a direct request's messages) before accepting. Same leading columns as active_participants, so the
-- conversation list reads either view with one statement; an answer is an UPDATE of request_state through it.
CREATE VIEW pending_requests AS
SELECT participant_id, conversation_id, user_id, role, joined_at, left_at, is_muted, muted_until, hidden_until_seq,
       last_read_message_id, requested_by, request_state
FROM conversation_participants
WHERE left_at IS NULL AND request_state = 'pending';

-- Who a conversation shows as its participants: the active ones and, in a direct conversation, the other side of a
-- request whatever its answer, so that the requester sees the same two people whether it waits, was declined or
-- was accepted. A group's invitees are not shown until they accept (member_added then).
CREATE VIEW listed_participants AS
SELECT p.participant_id, p.conversation_id, p.user_id, p.role, p.joined_at
FROM conversation_participants p
JOIN conversations c ON c.conversation_id = p.conversation_id
WHERE p.left_at IS NULL AND (p.request_state IS NULL OR c.type = 'direct');

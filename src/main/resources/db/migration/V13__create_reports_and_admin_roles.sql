-- Moderation: the admin role, suspensions' reasons, user reports and images refused by moderation.

-- Who is an admin: granted by another admin (admin_granted), or vouched for by the host app's token in integration
-- mode (external_admin, written whenever the token's claims are); the configured usernames
-- (parley.admin.usernames) are checked at request time and stored nowhere.
ALTER TABLE users
    ADD COLUMN admin_granted     boolean NOT NULL DEFAULT false,
    ADD COLUMN external_admin    boolean NOT NULL DEFAULT false,
    ADD COLUMN suspension_reason text CHECK (length(suspension_reason) <= 500);

-- A report about a message or a user, by a participant (reporter_id) or by the system (null: image moderation).
-- snapshot holds what was reported as it was then (JSON text), so deleting the message keeps the evidence.
CREATE TABLE reports (
    report_id        uuid PRIMARY KEY,
    reporter_id      uuid REFERENCES users ON DELETE SET NULL,
    by_system        boolean     NOT NULL DEFAULT false,
    target_type      text        NOT NULL CHECK (target_type IN ('message', 'user')),
    target_id        uuid        NOT NULL,
    -- The user whose message or account is reported.
    reported_user_id uuid        NOT NULL,
    conversation_id  uuid,
    reason           text        NOT NULL CHECK (reason IN ('spam', 'abuse', 'sexual', 'violence', 'other')),
    note             text CHECK (length(note) <= 1000),
    snapshot         text        NOT NULL CHECK (length(snapshot) <= 65536),
    status           text        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
    resolution       text CHECK (resolution IN ('dismiss', 'delete_message', 'suspend_user')),
    resolution_note  text CHECK (length(resolution_note) <= 1000),
    resolved_by      uuid,
    resolved_at      timestamptz,
    created_at       timestamptz NOT NULL,
    CHECK ((status = 'resolved') = (resolution IS NOT NULL))
);
-- One open report per reporter and target: reporting again while it waits changes nothing. Once resolved, a new
-- report of the same target may be filed (the abuse may have gone on).
CREATE UNIQUE INDEX uq_reports_open_reporter_target ON reports (reporter_id, target_type, target_id)
    WHERE status = 'open' AND reporter_id IS NOT NULL;
CREATE UNIQUE INDEX uq_reports_open_system_target ON reports (target_type, target_id)
    WHERE status = 'open' AND by_system;
-- The review queue: open reports oldest first, resolved ones newest first, both by id (UUIDv7, time ordered).
CREATE INDEX idx_reports_status_report_id ON reports (status, report_id);

-- An image that image moderation refused: its objects leave storage and its message shows it as rejected.
ALTER TABLE message_attachments DROP CONSTRAINT message_attachments_upload_status_check;
ALTER TABLE message_attachments ADD CONSTRAINT message_attachments_upload_status_check
    CHECK (upload_status IN ('uploading', 'processing', 'completed', 'failed', 'rejected'));
ALTER TABLE message_attachments DROP CONSTRAINT message_attachments_deleted_reason_check;
ALTER TABLE message_attachments ADD CONSTRAINT message_attachments_deleted_reason_check
    CHECK (deleted_reason IN ('retention', 'abandoned', 'message_deleted', 'invalid', 'moderation'));

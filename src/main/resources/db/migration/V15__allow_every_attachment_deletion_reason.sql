-- V13 (image moderation) and V14 (account erasure, expiry) each redefined the check on why an attachment's objects
-- were deleted, each with its own new reason and without the other's. One definition with every reason.
ALTER TABLE message_attachments DROP CONSTRAINT message_attachments_deleted_reason_check;
ALTER TABLE message_attachments ADD CONSTRAINT message_attachments_deleted_reason_check
    CHECK (deleted_reason IN
        ('retention', 'abandoned', 'message_deleted', 'invalid', 'moderation', 'account_deleted', 'expired'));

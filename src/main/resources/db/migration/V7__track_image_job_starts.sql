-- When an image job started working on an attachment (null while it waits or once it ended). At most one job per
-- uploader runs at a time, so one user's queue of heavy images cannot hold everyone else's back; a job that
-- finds another of its uploader's jobs running is put back in the queue a little later.
ALTER TABLE message_attachments ADD COLUMN job_started_at timestamptz;

-- The check above: the uploader's attachments in processing, a handful at most.
CREATE INDEX idx_message_attachments_uploader_id_processing ON message_attachments (uploader_id)
    WHERE upload_status = 'processing';

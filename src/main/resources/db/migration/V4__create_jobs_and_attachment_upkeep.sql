-- Background jobs (image processing, object deletion, retention) on db-scheduler's persistent queue: its table,
-- as the library defines it for PostgreSQL.
CREATE TABLE scheduled_tasks (
    task_name            text                     NOT NULL,
    task_instance        text                     NOT NULL,
    task_data            bytea,
    execution_time       timestamp with time zone,
    picked               boolean                  NOT NULL,
    picked_by            text,
    last_success         timestamp with time zone,
    last_failure         timestamp with time zone,
    consecutive_failures integer,
    last_heartbeat       timestamp with time zone,
    version              bigint                   NOT NULL,
    priority             smallint,
    state                text,
    PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX idx_scheduled_tasks_execution_time ON scheduled_tasks (execution_time);
CREATE INDEX idx_scheduled_tasks_last_heartbeat ON scheduled_tasks (last_heartbeat);
CREATE INDEX idx_scheduled_tasks_priority_execution_time ON scheduled_tasks (priority DESC, execution_time ASC);

-- Why an attachment's objects were removed (retention, an upload never completed, its message deleted), and
-- what the thumbnail is: the thumbnail of an image with transparency is a PNG, of any other a JPEG.
ALTER TABLE message_attachments
    ADD COLUMN deleted_reason text CHECK (deleted_reason IN ('retention', 'abandoned', 'message_deleted', 'invalid')),
    ADD COLUMN thumbnail_mime_type text,
    ADD COLUMN thumbnail_width integer,
    ADD COLUMN thumbnail_height integer;

-- Abandoned uploads are found by status and age.
CREATE INDEX idx_message_attachments_uploading ON message_attachments (created_at) WHERE upload_status = 'uploading';

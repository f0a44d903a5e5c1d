-- Parley's chat schema: brief sections 2.1-2.3, with per-conversation seq and idempotency keys.

CREATE TABLE users (
    user_id           uuid PRIMARY KEY,
    username          text        NOT NULL,
    display_name      text        NOT NULL,
    profile_photo_url text,
    password_hash     text,
    -- Integration mode: users provisioned from the host app's tokens (issuer + subject).
    external_issuer   text,
    external_subject  text,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    CONSTRAINT uq_users_username UNIQUE (username),
    CONSTRAINT uq_users_external UNIQUE (external_issuer, external_subject)
);
-- Prefix search on username and display name, whatever the database collation.
CREATE INDEX idx_users_username_prefix ON users (username text_pattern_ops);
CREATE INDEX idx_users_display_name_prefix ON users (lower(display_name) text_pattern_ops);

CREATE TABLE refresh_tokens (
    token_hash  bytea PRIMARY KEY,
    user_id     uuid        NOT NULL REFERENCES users ON DELETE CASCADE,
    -- Tokens rotated from one login share a family; reuse of a spent token revokes the family.
    family_id   uuid        NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    created_at  timestamptz NOT NULL
);
CREATE INDEX idx_refresh_tokens_family_id ON refresh_tokens (family_id);
CREATE INDEX idx_refresh_tokens_expires_at ON refresh_tokens (expires_at);

CREATE TABLE blocks (
    blocker_id uuid        NOT NULL REFERENCES users ON DELETE CASCADE,
    blocked_id uuid        NOT NULL REFERENCES users ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (blocker_id, blocked_id),
    CHECK (blocker_id <> blocked_id)
);
CREATE INDEX idx_blocks_blocked_id ON blocks (blocked_id, blocker_id);

CREATE TABLE conversations (
    conversation_id uuid PRIMARY KEY,
    type            text        NOT NULL CHECK (type IN ('direct', 'group')),
    name            text,
    photo_url       text,
    created_by      uuid        NOT NULL REFERENCES users,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    -- created_at of the newest message (or of the conversation); never decreases.
    last_message_at timestamptz NOT NULL,
    -- seq of the newest message: seq is allocated by incrementing this under the row lock.
    last_seq        bigint      NOT NULL DEFAULT 0,
    is_archived     boolean     NOT NULL DEFAULT false,
    -- "<smaller user id>:<larger user id>" for direct conversations: at most one per pair.
    direct_key      text,
    CONSTRAINT uq_conversations_direct_key UNIQUE (direct_key)
);

CREATE TABLE conversation_participants (
    participant_id       uuid PRIMARY KEY,
    conversation_id      uuid        NOT NULL REFERENCES conversations ON DELETE CASCADE,
    user_id              uuid        NOT NULL REFERENCES users,
    role                 text        NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
    joined_at            timestamptz NOT NULL,
    left_at              timestamptz,
    is_muted             boolean     NOT NULL DEFAULT false,
    muted_until          timestamptz,
    -- A hidden direct conversation reappears once a message with a higher seq arrives.
    hidden_until_seq     bigint,
    last_read_message_id uuid,
    CONSTRAINT uq_conversation_participants_conversation_user UNIQUE (conversation_id, user_id)
);
CREATE INDEX idx_conversations_participants ON conversation_participants (user_id, left_at, conversation_id);

-- Receipts are per-participant watermarks rather than a row per message and reader: a read of message N
-- means "everything up to seq N", which is one row update however many messages it covers.
CREATE TABLE message_receipts (
    conversation_id    uuid        NOT NULL REFERENCES conversations ON DELETE CASCADE,
    user_id            uuid        NOT NULL REFERENCES users,
    last_delivered_seq bigint      NOT NULL DEFAULT 0,
    delivered_at       timestamptz,
    last_read_seq      bigint      NOT NULL DEFAULT 0,
    read_at            timestamptz,
    PRIMARY KEY (conversation_id, user_id),
    CHECK (last_read_seq <= last_delivered_seq)
);

CREATE TABLE messages (
    message_id          uuid        NOT NULL,
    conversation_id     uuid        NOT NULL REFERENCES conversations ON DELETE CASCADE,
    seq                 bigint      NOT NULL,
    sender_id           uuid        NOT NULL REFERENCES users,
    message_type        text        NOT NULL CHECK (message_type IN ('text', 'image', 'system')),
    content             text,
    metadata            jsonb       NOT NULL DEFAULT '{}'::jsonb,
    reply_to_message_id uuid,
    client_message_id   text,
    is_edited           boolean     NOT NULL DEFAULT false,
    edited_at           timestamptz,
    is_deleted          boolean     NOT NULL DEFAULT false,
    deleted_at          timestamptz,
    deleted_by          uuid,
    -- Never earlier than the previous message of the conversation, so seq and created_at order agree.
    created_at          timestamptz NOT NULL,
    PRIMARY KEY (message_id, created_at)
) PARTITION BY RANGE (created_at);

-- Catches rows outside every monthly partition so an insert never fails; normally empty.
CREATE TABLE messages_default PARTITION OF messages DEFAULT;

-- History paging and gap fill by seq (seq uniqueness comes from the allocation under the conversation row lock;
-- a partitioned table cannot hold a unique index without the partition key).
CREATE INDEX idx_messages_conversation_seq ON messages (conversation_id, seq);
CREATE INDEX idx_messages_conversation_time ON messages (conversation_id, created_at DESC) WHERE is_deleted = FALSE;
-- Unread counting scans only this: live, non-system messages after the reader's watermark.
CREATE INDEX idx_messages_conversation_unread ON messages (conversation_id, seq) INCLUDE (sender_id)
    WHERE is_deleted = FALSE AND message_type <> 'system';
CREATE INDEX idx_messages_content_gin ON messages USING gin (to_tsvector('english', content));

-- One row per (conversation, sender, client_message_id): a retried send finds the message it already stored.
CREATE TABLE message_idempotency (
    conversation_id   uuid        NOT NULL,
    sender_id         uuid        NOT NULL,
    client_message_id text        NOT NULL,
    message_id        uuid        NOT NULL,
    created_at        timestamptz NOT NULL,
    PRIMARY KEY (conversation_id, sender_id, client_message_id)
);

CREATE TABLE message_attachments (
    attachment_id   uuid PRIMARY KEY,
    uploader_id     uuid        NOT NULL REFERENCES users,
    message_id      uuid,
    conversation_id uuid REFERENCES conversations ON DELETE SET NULL,
    file_type       text        NOT NULL DEFAULT 'image' CHECK (file_type IN ('image', 'video', 'document')),
    file_url        text,
    thumbnail_url   text,
    file_name       text,
    file_size       bigint,
    mime_type       text,
    width           integer,
    height          integer,
    duration        integer,
    storage_key     text,
    thumbnail_key   text,
    blurhash        text,
    upload_status   text        NOT NULL DEFAULT 'uploading'
        CHECK (upload_status IN ('uploading', 'processing', 'completed', 'failed')),
    failure_reason  text,
    created_at      timestamptz NOT NULL,
    completed_at    timestamptz,
    deleted_at      timestamptz
);
CREATE INDEX idx_message_attachments_message_id ON message_attachments (message_id);
CREATE INDEX idx_message_attachments_created_at ON message_attachments (created_at) WHERE deleted_at IS NULL;

CREATE TABLE message_reactions (
    reaction_id     uuid PRIMARY KEY,
    message_id      uuid        NOT NULL,
    conversation_id uuid        NOT NULL REFERENCES conversations ON DELETE CASCADE,
    user_id         uuid        NOT NULL REFERENCES users,
    -- One emoji grapheme; ZWJ sequences (families, flags with tags) run well past the brief's 10 characters.
    emoji           text        NOT NULL CHECK (char_length(emoji) BETWEEN 1 AND 32),
    created_at      timestamptz NOT NULL,
    CONSTRAINT uq_message_reactions_message_user_emoji UNIQUE (message_id, user_id, emoji)
);

CREATE TABLE user_presence (
    user_id      uuid PRIMARY KEY REFERENCES users ON DELETE CASCADE,
    status       text        NOT NULL DEFAULT 'offline' CHECK (status IN ('online', 'away', 'offline')),
    last_seen_at timestamptz,
    device_count integer     NOT NULL DEFAULT 0,
    updated_at   timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- Creates the monthly partitions of messages from the current month (UTC) to months_ahead months later.
-- Called by every node at start-up and daily (PartitionMaintenance); idempotent and safe to run concurrently.
CREATE FUNCTION parley_ensure_message_partitions(months_ahead integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    first_month timestamp := date_trunc('month', now() AT TIME ZONE 'UTC');
    month_start timestamp;
    partition_name text;
    created integer := 0;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('parley_ensure_message_partitions'));
    FOR i IN 0..months_ahead LOOP
        month_start := first_month + make_interval(months => i);
        partition_name := 'messages_' || to_char(month_start, 'YYYY_MM');
        IF to_regclass(partition_name) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF messages FOR VALUES FROM (%L) TO (%L)',
                           partition_name,
                           to_char(month_start, 'YYYY-MM-DD') || ' 00:00:00+00',
                           to_char(month_start + interval '1 month', 'YYYY-MM-DD') || ' 00:00:00+00');
            created := created + 1;
        END IF;
    END LOOP;
    RETURN created;
END;
$$;

SELECT parley_ensure_message_partitions(3);

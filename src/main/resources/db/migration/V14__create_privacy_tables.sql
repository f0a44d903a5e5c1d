-- Letting people own their data (issue 12): end-to-end encrypted conversations and their key directory,
-- disappearing messages, account deletion as a durable job, and data exports.

-- A conversation is end-to-end encrypted from its creation on, never later: its messages' content is ciphertext
-- the server cannot read, so search, previews and content rules leave it alone. message_ttl_seconds: the
-- disappearing-messages timer (null: off); each later message carries expires_at.
ALTER TABLE conversations
    ADD COLUMN e2ee                boolean NOT NULL DEFAULT false,
    ADD COLUMN message_ttl_seconds integer CHECK (message_ttl_seconds BETWEEN 30 AND 31536000);

-- Set when the message is stored, from the conversation's timer at that moment; the expiry sweep removes the
-- message once it has passed. Metadata-only on the partitioned table (no default, no rewrite).
ALTER TABLE messages ADD COLUMN expires_at timestamptz;
-- The sweep's lookup: only messages that will expire are in it.
CREATE INDEX idx_messages_expires_at ON messages (expires_at) WHERE expires_at IS NOT NULL;

-- The key directory, as Signal's key server: per user one Ed25519 identity key and one X25519 signed prekey
-- (with the identity key's signature over it, checked on upload), and a stock of X25519 one-time prekeys that are
-- handed out once each (DELETE ... RETURNING, SKIP LOCKED so concurrent claims never get the same key).
CREATE TABLE identity_keys (
    user_id                 uuid PRIMARY KEY REFERENCES users ON DELETE CASCADE,
    identity_key            bytea       NOT NULL CHECK (length(identity_key) = 32),
    signed_prekey_id        integer     NOT NULL CHECK (signed_prekey_id >= 0),
    signed_prekey           bytea       NOT NULL CHECK (length(signed_prekey) = 32),
    signed_prekey_signature bytea       NOT NULL CHECK (length(signed_prekey_signature) = 64),
    updated_at              timestamptz NOT NULL
);

CREATE TABLE one_time_prekeys (
    user_id    uuid        NOT NULL REFERENCES users ON DELETE CASCADE,
    key_id     integer     NOT NULL CHECK (key_id >= 0),
    public_key bytea       NOT NULL CHECK (length(public_key) = 32),
    created_at timestamptz NOT NULL,
    PRIMARY KEY (user_id, key_id)
);

-- Account deletion: the request is recorded (and the user marked deleted) in the request's transaction; the
-- erasure runs as a job that can stop anywhere and be run again. completed_at is set once every step is done.
CREATE TABLE account_deletions (
    user_id      uuid PRIMARY KEY REFERENCES users,
    requested_at timestamptz NOT NULL,
    completed_at timestamptz,
    runs         integer     NOT NULL DEFAULT 0
);

-- A deleted user's username stays unavailable until free_at (parley.accounts.username-cooldown), so nobody can
-- pose as them right away; registration checks this table.
CREATE TABLE username_holds (
    username text        PRIMARY KEY,
    free_at  timestamptz NOT NULL
);
CREATE INDEX idx_username_holds_free_at ON username_holds (free_at);

-- Why an attachment's objects were removed gains two reasons: its uploader deleted the account, its message expired.
ALTER TABLE message_attachments DROP CONSTRAINT message_attachments_deleted_reason_check;
ALTER TABLE message_attachments ADD CONSTRAINT message_attachments_deleted_reason_check
    CHECK (deleted_reason IN ('retention', 'abandoned', 'message_deleted', 'invalid', 'account_deleted', 'expired'));
-- Account erasure finds a user's images by uploader.
CREATE INDEX idx_message_attachments_uploader_id ON message_attachments (uploader_id) WHERE deleted_at IS NULL;
-- Account erasure and export find a user's live messages by sender, in time order. Partial, so that an erasure
-- in batches never rescans the tombstones of its earlier batches.
CREATE INDEX idx_messages_sender_id_created_at ON messages (sender_id, created_at) WHERE NOT is_deleted;
CREATE INDEX idx_message_reactions_user_id ON message_reactions (user_id);

-- Data exports: a ZIP built in the background and kept in object storage until expires_at.
CREATE TABLE exports (
    export_id    uuid PRIMARY KEY,
    user_id      uuid        NOT NULL REFERENCES users ON DELETE CASCADE,
    status       text        NOT NULL CHECK (status IN ('pending', 'ready', 'failed')),
    -- Messages written so far, so the status call shows progress.
    progress     bigint      NOT NULL DEFAULT 0,
    storage_key  text,
    size_bytes   bigint,
    created_at   timestamptz NOT NULL,
    completed_at timestamptz,
    expires_at   timestamptz
);
CREATE INDEX idx_exports_user_id_created_at ON exports (user_id, created_at);
CREATE INDEX idx_exports_expires_at ON exports (expires_at) WHERE storage_key IS NOT NULL;

-- Sessions, account states and the revocation feed: one way to end access at once, on every node and for every
-- transport (REST, WebSocket, event streams, long polls), instead of at token expiry.

-- Used by suspension and account deletion: a suspended or deleted user can neither log in nor refresh, and their
-- tokens stop working (see the trigger below).
ALTER TABLE users
    ADD COLUMN suspended_until timestamptz,
    ADD COLUMN deleted_at      timestamptz;

-- A session is one login (or registration): the refresh-token family it started. Access tokens carry its id (the
-- sid claim), so revoking the session ends its access tokens too, not only its refresh chain.
CREATE TABLE sessions (
    session_id     uuid PRIMARY KEY,
    user_id        uuid        NOT NULL REFERENCES users ON DELETE CASCADE,
    created_at     timestamptz NOT NULL,
    -- Moved on refresh, not per request.
    last_used_at   timestamptz NOT NULL,
    user_agent     text CHECK (length(user_agent) <= 256),
    -- Where the session was created; an address with a past session counts as the user's own for the
    -- per-account login slow-down.
    client_address text CHECK (length(client_address) <= 64),
    revoked_at     timestamptz,
    revoke_reason  text CHECK (length(revoke_reason) <= 64)
);
CREATE INDEX idx_sessions_user_id_last_used_at ON sessions (user_id, last_used_at);
CREATE INDEX idx_sessions_user_id_client_address ON sessions (user_id, client_address);

-- The families of the refresh tokens issued before this version become sessions; those without a live token
-- are born revoked, so the session list shows only what can still be refreshed.
INSERT INTO sessions (session_id, user_id, created_at, last_used_at, revoked_at, revoke_reason)
SELECT family_id, (array_agg(user_id))[1], min(created_at), max(created_at),
       CASE WHEN bool_or(used_at IS NULL AND expires_at > now()) THEN NULL ELSE now() END,
       CASE WHEN bool_or(used_at IS NULL AND expires_at > now()) THEN NULL ELSE 'expired' END
FROM refresh_tokens
GROUP BY family_id;

ALTER TABLE refresh_tokens
    ADD CONSTRAINT fk_refresh_tokens_session FOREIGN KEY (family_id) REFERENCES sessions ON DELETE CASCADE;

-- The revocation feed. Every node keeps the recent revocations in memory and tails this table by (xid,
-- revocation_id): a row is written in the transaction of the act it records, and a reader only moves its cursor
-- past transactions older than the oldest one still running (pg_snapshot_xmin), as the catch-up log does, so a
-- revocation that commits late is never skipped. Rows older than the longest access-token life are purged.
--   kind 'session': every token of that session (session_id) stops working.
--   kind 'user':    every token of that user issued up to created_at stops working (suspension, deletion).
CREATE TABLE revocations (
    revocation_id bigserial PRIMARY KEY,
    xid           xid8        NOT NULL DEFAULT pg_current_xact_id(),
    kind          text        NOT NULL CHECK (kind IN ('session', 'user')),
    user_id       uuid        NOT NULL,
    session_id    uuid,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK ((kind = 'session') = (session_id IS NOT NULL))
);
CREATE INDEX idx_revocations_xid ON revocations (xid, revocation_id);
CREATE INDEX idx_revocations_created_at ON revocations (created_at);

-- Whatever path changes a user's standing (Parley's own code, an operator's SQL), the feed hears of it in the
-- same transaction: a removed user row, a deletion mark, or a suspension that has not already ended.
CREATE FUNCTION parley_revoke_user_access() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO revocations (kind, user_id) VALUES ('user', OLD.user_id);
    RETURN NULL;
END
$$;

CREATE TRIGGER trg_users_revoke_on_delete AFTER DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION parley_revoke_user_access();

CREATE TRIGGER trg_users_revoke_on_standing AFTER UPDATE OF deleted_at, suspended_until ON users
    FOR EACH ROW
    WHEN ((NEW.deleted_at IS NOT NULL AND OLD.deleted_at IS NULL)
          OR (NEW.suspended_until IS DISTINCT FROM OLD.suspended_until AND NEW.suspended_until > now()))
    EXECUTE FUNCTION parley_revoke_user_access();

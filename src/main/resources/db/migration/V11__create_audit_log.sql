-- The audit log: one row per security or administrative act, written in the transaction of the act it records
-- (dev.parley.audit). Never message content.
--
-- Tamper evidence: every entry stores the SHA-256 of its own canonical form, which includes the hash of the entry
-- before it (prev_hash), so editing, deleting or reordering rows breaks the chain and AuditLog.verify names the
-- first entry that does not match. Entries are numbered by seq, gapless and in chain order: an append locks the
-- one-row chain head, takes the next number and links to the head's hash; the head row stays locked until the
-- appending transaction ends, so appends from every transaction and every node form one chain, and one that rolls
-- back leaves no gap.
--
-- Append-only: triggers below refuse UPDATE and TRUNCATE, any INSERT that does not continue the chain, and any
-- DELETE except of the oldest entries once the retention anchor (audit_anchor) has moved past them.

CREATE TABLE audit_log (
    seq         bigint      PRIMARY KEY CHECK (seq > 0),
    entry_id    uuid        NOT NULL UNIQUE,
    at          timestamptz NOT NULL,
    -- Null for the system (a summary, a job).
    actor_id    uuid,
    action      text        NOT NULL CHECK (action ~ '^[a-z_]{1,64}$'),
    target_type text        CHECK (target_type ~ '^[a-z_]{1,32}$'),
    target_id   text        CHECK (length(target_id) <= 128),
    -- The client address as the auth code records it (after trusted-proxy resolution).
    ip          text        CHECK (length(ip) <= 64),
    -- The exact canonical JSON that was hashed; jsonb would re-normalise it (key order, numbers) and break the
    -- hash. Query it as details::jsonb.
    details     text        NOT NULL CHECK (length(details) <= 4096),
    prev_hash   bytea       NOT NULL CHECK (length(prev_hash) = 32),
    hash        bytea       NOT NULL CHECK (length(hash) = 32)
);
CREATE INDEX idx_audit_log_actor_id_seq ON audit_log (actor_id, seq) WHERE actor_id IS NOT NULL;
CREATE INDEX idx_audit_log_target_id_seq ON audit_log (target_id, seq) WHERE target_id IS NOT NULL;
CREATE INDEX idx_audit_log_action_seq ON audit_log (action, seq);
CREATE INDEX idx_audit_log_at ON audit_log (at);

-- Where the next entry goes: its seq is last_seq + 1 and its prev_hash is last_hash. Moves only with an append.
CREATE TABLE audit_chain_head (
    id        boolean PRIMARY KEY DEFAULT true CHECK (id),
    last_seq  bigint  NOT NULL,
    last_hash bytea   NOT NULL CHECK (length(last_hash) = 32)
);
INSERT INTO audit_chain_head (last_seq, last_hash) VALUES (0, decode(repeat('00', 32), 'hex'));

-- Where verification starts: the first kept entry (first_seq) and the prev_hash it must carry. The retention purge
-- moves it forward before it deletes the entries before it; purged_at says when it last did.
CREATE TABLE audit_anchor (
    id        boolean PRIMARY KEY DEFAULT true CHECK (id),
    first_seq bigint  NOT NULL,
    prev_hash bytea   NOT NULL CHECK (length(prev_hash) = 32),
    purged_at timestamptz
);
INSERT INTO audit_anchor (first_seq, prev_hash) VALUES (1, decode(repeat('00', 32), 'hex'));

-- An entry must continue the chain exactly where the head is; the head then moves to it, in the same statement.
CREATE FUNCTION parley_audit_append() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    head audit_chain_head%ROWTYPE;
BEGIN
    SELECT * INTO head FROM audit_chain_head FOR UPDATE;
    IF NEW.seq <> head.last_seq + 1 OR NEW.prev_hash <> head.last_hash THEN
        RAISE EXCEPTION 'audit_log: entry % does not continue the chain (head at %)', NEW.seq, head.last_seq;
    END IF;
    UPDATE audit_chain_head SET last_seq = NEW.seq, last_hash = NEW.hash;
    RETURN NEW;
END
$$;

CREATE TRIGGER trg_audit_log_append BEFORE INSERT ON audit_log
    FOR EACH ROW EXECUTE FUNCTION parley_audit_append();

CREATE FUNCTION parley_audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END
$$;

CREATE TRIGGER trg_audit_log_no_update BEFORE UPDATE OR TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION parley_audit_refuse();

-- Only entries before the anchor may go, i.e. the oldest ones, after the purge recorded where the chain now starts.
-- One check per statement (a transition table), so purging many rows costs one lookup.
CREATE FUNCTION parley_audit_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM removed WHERE seq >= (SELECT first_seq FROM audit_anchor)) THEN
        RAISE EXCEPTION 'audit_log is append-only: only entries before the retention anchor may be deleted';
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER trg_audit_log_delete AFTER DELETE ON audit_log REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION parley_audit_delete();

-- The head moves only from the append trigger (one trigger level down); never deleted.
CREATE FUNCTION parley_audit_head_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND pg_trigger_depth() > 1 THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_chain_head moves only with an appended audit entry: % refused', TG_OP;
END
$$;

CREATE TRIGGER trg_audit_chain_head_guard BEFORE UPDATE OR DELETE ON audit_chain_head
    FOR EACH ROW EXECUTE FUNCTION parley_audit_head_guard();

CREATE TRIGGER trg_audit_chain_head_no_truncate BEFORE TRUNCATE ON audit_chain_head
    FOR EACH STATEMENT EXECUTE FUNCTION parley_audit_refuse();

-- The anchor moves forward only, onto a kept entry whose prev_hash it takes over; never deleted.
CREATE FUNCTION parley_audit_anchor_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'UPDATE' THEN
        RAISE EXCEPTION 'audit_anchor is never removed: % refused', TG_OP;
    END IF;
    IF NEW.first_seq = OLD.first_seq AND NEW.prev_hash = OLD.prev_hash THEN
        RETURN NEW;
    END IF;
    IF NEW.first_seq < OLD.first_seq
            OR NEW.prev_hash IS DISTINCT FROM (SELECT prev_hash FROM audit_log WHERE seq = NEW.first_seq) THEN
        RAISE EXCEPTION 'audit_anchor moves forward only, onto a kept entry and its prev_hash';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER trg_audit_anchor_guard BEFORE UPDATE OR DELETE ON audit_anchor
    FOR EACH ROW EXECUTE FUNCTION parley_audit_anchor_guard();

CREATE TRIGGER trg_audit_anchor_no_truncate BEFORE TRUNCATE ON audit_anchor
    FOR EACH STATEMENT EXECUTE FUNCTION parley_audit_refuse();

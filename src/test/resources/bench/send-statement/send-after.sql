\set i random(1, 19999)
BEGIN;
SELECT 1 FROM conversations WHERE conversation_id = ANY(ARRAY[md5('d' || :i)::uuid]) ORDER BY conversation_id FOR NO KEY UPDATE;
WITH input AS (
    SELECT * FROM unnest(ARRAY[md5('d' || :i)::uuid], ARRAY[gen_random_uuid()], ARRAY[md5('u' || :i)::uuid],
                         ARRAY['k' || random()]::text[], ARRAY['text']::text[], ARRAY['hello there']::text[],
                         ARRAY['{}']::text[], ARRAY[NULL]::uuid[], ARRAY[now()]::timestamptz[])
        WITH ORDINALITY AS t(cid, mid, sender, cmid, mtype, content, meta, reply, ts, ord)),
eligible AS (
    SELECT i.* FROM input i
    JOIN member_standing s ON s.conversation_id = i.cid AND s.user_id = i.sender
    WHERE NOT s.blocked),
idem AS (
    INSERT INTO message_idempotency (conversation_id, sender_id, client_message_id, message_id, created_at)
    SELECT cid, sender, cmid, mid, ts FROM eligible WHERE cmid IS NOT NULL
    ORDER BY ord
    ON CONFLICT DO NOTHING
    RETURNING message_id),
accepted AS (
    SELECT e.*, row_number() OVER (PARTITION BY e.cid ORDER BY e.ord) AS rn
    FROM eligible e WHERE e.cmid IS NULL OR e.mid IN (SELECT message_id FROM idem)),
totals AS (
    SELECT cid, count(*) AS total, max(ts) AS newest FROM accepted GROUP BY cid),
conv AS (
    UPDATE conversations c
    SET last_seq = c.last_seq + t.total, last_message_at = GREATEST(c.last_message_at, t.newest)
    FROM totals t
    WHERE c.conversation_id = t.cid
    RETURNING c.conversation_id, c.last_seq, c.last_message_at, t.total),
stored AS (
    INSERT INTO messages (message_id, conversation_id, seq, sender_id, message_type, content, metadata,
                          reply_to_message_id, client_message_id, created_at)
    SELECT a.mid, a.cid, conv.last_seq - conv.total + a.rn, a.sender, a.mtype, a.content,
           CAST(a.meta AS jsonb), a.reply, a.cmid, conv.last_message_at
    FROM accepted a JOIN conv ON conv.conversation_id = a.cid
    RETURNING message_id, conversation_id, seq, sender_id, message_type = 'system' AS is_system, created_at),
logged AS (
    INSERT INTO events (conversation_id, type, actor_id, message_id, data)
    SELECT conversation_id, 'message.new', sender_id, message_id,
           jsonb_build_object('seq', seq, 'created_at', created_at, 'system', is_system)
    FROM stored ORDER BY conversation_id, seq)
SELECT s.message_id, s.seq, s.created_at, u.user_id, u.username, u.display_name, u.profile_photo_url
FROM stored s JOIN users u ON u.user_id = s.sender_id;
ROLLBACK;

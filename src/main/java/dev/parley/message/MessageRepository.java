package dev.parley.message;

import dev.parley.common.Ids;
import dev.parley.common.ParleyException;
import dev.parley.eventlog.EventLogSql;
import dev.parley.user.UserView;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import org.springframework.jdbc.core.PreparedStatementCallback;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

@Repository
class MessageRepository {

    /** Where a message sits: enough to check access and to page from it. */
    record Position(
            UUID messageId,
            UUID conversationId,
            long seq,
            UUID senderId,
            MessageType type,
            boolean deleted,
            Instant createdAt) {}

    /** A user's message (text, or image) on its way into {@link #insertBatch}. */
    record NewMessage(
            UUID messageId,
            UUID conversationId,
            UUID senderId,
            MessageType type,
            String content,
            String metadataJson,
            UUID replyTo,
            String clientMessageId,
            Instant createdAt) {}

    /**
     * A stored message's seq and time; {@code sender} is set for user messages stored in a batch, {@code expiresAt}
     * when the conversation has disappearing messages.
     */
    record Stored(long seq, Instant createdAt, UserView sender, Instant expiresAt) {}

    static final String SELECT_VIEW = """
            SELECT m.message_id, m.conversation_id, m.seq, m.sender_id, m.message_type, m.content,
                   m.metadata::text AS metadata,
                   m.reply_to_message_id, m.is_edited, m.edited_at, m.is_deleted, m.created_at, m.expires_at,
                   u.username, u.display_name, u.profile_photo_url,
                   r.sender_id AS reply_sender_id, r.preview AS reply_preview
            FROM messages m
            JOIN users u ON u.user_id = m.sender_id
            LEFT JOIN LATERAL (
                SELECT rm.sender_id, CASE WHEN rm.is_deleted THEN NULL ELSE left(rm.content, 140) END AS preview
                FROM messages rm
                WHERE rm.message_id = m.reply_to_message_id AND rm.conversation_id = m.conversation_id
                LIMIT 1) r ON m.reply_to_message_id IS NOT NULL
            """;

    private final JdbcClient jdbc;
    private final NamedParameterJdbcTemplate named;
    private final RowMapper<MessageView> viewMapper;

    MessageRepository(JdbcClient jdbc, NamedParameterJdbcTemplate named, JsonMapper json) {
        this.jdbc = jdbc;
        this.named = named;
        this.viewMapper = new MessageRows(json)::view;
    }

    /**
     * Stores a system message (a membership or group change) with the conversation's next seq, inside the
     * caller's transaction, so it commits with the change it describes. The caller holds the group's members
     * locked; the seq comes from the conversation row's lock, as for every message.
     */
    Stored insertSystem(
            UUID messageId, UUID conversationId, UUID actorId, String content, String metadataJson, Instant at) {
        String sql = """
                WITH conv AS (
                    UPDATE conversations SET last_seq = last_seq + 1, last_message_at = GREATEST(last_message_at, :ts)
                    WHERE conversation_id = :cid
                    RETURNING last_seq, last_message_at),
                stored AS (
                    INSERT INTO messages (message_id, conversation_id, seq, sender_id, message_type, content, metadata,
                                          created_at)
                    SELECT :mid, :cid, conv.last_seq, :sender, 'system', :content, CAST(:metadata AS jsonb),
                           conv.last_message_at
                    FROM conv
                    RETURNING message_id, conversation_id, seq, sender_id, TRUE AS is_system, created_at),
                """ + EventLogSql.LOG_STORED_MESSAGES + """
                SELECT seq, created_at FROM stored""";
        return jdbc.sql(sql)
                .param("cid", conversationId)
                .param("sender", actorId)
                .param("mid", messageId)
                .param("ts", Timestamp.from(at))
                .param("content", content)
                .param("metadata", metadataJson)
                .query((rs, i) -> new Stored(rs.getLong(1), rs.getTimestamp(2).toInstant(), null, null))
                .optional()
                .orElseThrow(ParleyException::conversationNotFound);
    }

    /**
     * Stores user messages, of one or several conversations, in one round trip of two statements: inside the
     * caller's transaction, or (autocommit, see SendTransaction) as one implicit transaction of their own. The
     * first locks the conversations' rows for the rest of the transaction, in id order, so that two batches (on any
     * node) can never wait for each other's locks in a cycle. The second stores: each message is judged on its
     * own: its sender must be an active participant, not blocked by (or blocking) the other side of a direct
     * conversation (the membership rules, read from the view {@code member_standing}), and its idempotency key must
     * be new. The accepted messages of a conversation get
     * consecutive seqs in input order and share {@code created_at} (the newest of their times, never earlier than
     * the conversation's previous message). Returns what was stored, with the sender's profile, by message id; a
     * missing message was refused and the caller finds out why. The key is kept in {@code message_idempotency}
     * only: the message row's {@code client_message_id} column is no longer written (nothing read it), which keeps
     * every row about 40 bytes narrower.
     *
     * <p>Two statements, not one: PostgreSQL runs them in order and the second takes its snapshot once the first has
     * its locks, so a removal or block that committed while the lock was awaited is seen (inside one statement it
     * would only re-check the locked row, and judge membership by the snapshot from before the wait). They travel
     * together (the driver sends a multi-statement query's parts with a single Sync), so the database is asked once
     * rather than twice. The lock of a single conversation, the usual case, is its own statement: bound to one id,
     * its cached generic plan is a primary-key probe, where the array form's is re-planned for each call.
     */
    Map<UUID, Stored> insertBatch(List<NewMessage> batch) {
        int n = batch.size();
        String[] conversations = new String[n];
        String[] ids = new String[n];
        String[] senders = new String[n];
        String[] keys = new String[n];
        String[] types = new String[n];
        String[] contents = new String[n];
        String[] metas = new String[n];
        String[] replies = new String[n];
        String[] times = new String[n];
        for (int i = 0; i < n; i++) {
            NewMessage m = batch.get(i);
            conversations[i] = m.conversationId().toString();
            ids[i] = m.messageId().toString();
            senders[i] = m.senderId().toString();
            keys[i] = m.clientMessageId();
            types[i] = m.type().wire();
            contents[i] = m.content();
            metas[i] = m.metadataJson();
            replies[i] = m.replyTo() == null ? null : m.replyTo().toString();
            times[i] = m.createdAt().toString();
        }
        TreeSet<String> locked = new TreeSet<>(List.of(conversations));
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue(
                        "lock", locked.size() == 1 ? batch.getFirst().conversationId() : locked.toArray(String[]::new))
                .addValue("cids", conversations)
                .addValue("ids", ids)
                .addValue("senders", senders)
                .addValue("keys", keys)
                .addValue("types", types)
                .addValue("contents", contents)
                .addValue("metas", metas)
                .addValue("replies", replies)
                .addValue("times", times);
        String sql = (locked.size() == 1 ? LOCK_ONE : LOCK_MANY) + ";\n" + INSERT_BATCH;
        Map<UUID, Stored> stored = new HashMap<>();
        named.execute(sql, params, (PreparedStatementCallback<Void>) statement -> {
            statement.execute();
            // The lock's rows come first; then the stored messages.
            while (!statement.getMoreResults()) {
                if (statement.getUpdateCount() == -1) {
                    throw new IllegalStateException("The send statement returned no rows");
                }
            }
            try (ResultSet rs = statement.getResultSet()) {
                while (rs.next()) {
                    stored.put(
                            rs.getObject(1, UUID.class),
                            new Stored(
                                    rs.getLong(2),
                                    rs.getTimestamp(3).toInstant(),
                                    new UserView(
                                            rs.getObject(4, UUID.class),
                                            rs.getString(5),
                                            rs.getString(6),
                                            rs.getString(7)),
                                    MessageRows.instant(rs.getTimestamp(8))));
                }
            }
            return null;
        });
        return stored;
    }

    private static final String LOCK_ONE =
            "SELECT 1 FROM conversations WHERE conversation_id = :lock FOR NO KEY UPDATE";

    private static final String LOCK_MANY = """
            SELECT 1 FROM conversations WHERE conversation_id = ANY(CAST(:lock AS uuid[]))
            ORDER BY conversation_id FOR NO KEY UPDATE""";

    private static final String INSERT_BATCH = """
            WITH input AS (
                SELECT * FROM unnest(CAST(:cids AS uuid[]), CAST(:ids AS uuid[]), CAST(:senders AS uuid[]),
                                     CAST(:keys AS text[]), CAST(:types AS text[]), CAST(:contents AS text[]),
                                     CAST(:metas AS text[]), CAST(:replies AS uuid[]), CAST(:times AS timestamptz[]))
                    WITH ORDINALITY AS t(cid, mid, sender, cmid, mtype, content, meta, reply, ts, ord)),
            eligible AS (
                SELECT i.* FROM input i
                JOIN member_standing ms ON ms.conversation_id = i.cid AND ms.user_id = i.sender
                WHERE NOT ms.blocked),
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
                RETURNING c.conversation_id, c.last_seq, c.last_message_at, t.total, c.message_ttl_seconds),
            stored AS (
                INSERT INTO messages (message_id, conversation_id, seq, sender_id, message_type, content, metadata,
                                      reply_to_message_id, created_at, expires_at)
                SELECT a.mid, a.cid, conv.last_seq - conv.total + a.rn, a.sender, a.mtype, a.content,
                       CAST(a.meta AS jsonb), a.reply, conv.last_message_at,
                       conv.last_message_at + make_interval(secs => conv.message_ttl_seconds)
                FROM accepted a JOIN conv ON conv.conversation_id = a.cid
                RETURNING message_id, conversation_id, seq, sender_id, message_type = 'system' AS is_system,
                          created_at, expires_at),
            """ + EventLogSql.LOG_STORED_MESSAGES + """
            SELECT s.message_id, s.seq, s.created_at, u.user_id, u.username, u.display_name, u.profile_photo_url,
                   s.expires_at
            FROM stored s JOIN users u ON u.user_id = s.sender_id""";

    Optional<UUID> idempotentMatch(UUID conversationId, UUID senderId, String clientMessageId) {
        return jdbc.sql("""
                SELECT message_id FROM message_idempotency
                WHERE conversation_id = :cid AND sender_id = :sender AND client_message_id = :cmid""")
                .param("cid", conversationId)
                .param("sender", senderId)
                .param("cmid", clientMessageId)
                .query(UUID.class)
                .optional();
    }

    /** A message's position, visible to {@code viewer} only while the viewer is an active participant. */
    Optional<Position> positionFor(UUID messageId, UUID viewer) {
        return jdbc.sql("""
                SELECT m.message_id, m.conversation_id, m.seq, m.sender_id, m.message_type, m.is_deleted, m.created_at
                FROM messages m
                JOIN active_participants p ON p.conversation_id = m.conversation_id AND p.user_id = :viewer
                WHERE m.message_id = :id AND m.created_at >= :notBefore""")
                .param("id", messageId)
                .param("viewer", viewer)
                .param("notBefore", notBefore(messageId))
                .query(MessageRows::position)
                .optional();
    }

    /** A message's position whoever asks (administration, whose caller checked the role; or see positionIn). */
    Optional<Position> position(UUID messageId) {
        return jdbc.sql("""
                SELECT message_id, conversation_id, seq, sender_id, message_type, is_deleted, created_at
                FROM messages WHERE message_id = :id AND created_at >= :notBefore""")
                .param("id", messageId)
                .param("notBefore", notBefore(messageId))
                .query(MessageRows::position)
                .optional();
    }

    /** A message of one conversation by id (the caller checked access to the conversation). */
    Optional<Position> positionIn(UUID conversationId, UUID messageId) {
        return position(messageId).filter(at -> at.conversationId().equals(conversationId));
    }

    Optional<MessageView> view(UUID messageId) {
        return jdbc.sql(SELECT_VIEW + " WHERE m.message_id = :id AND m.created_at >= :notBefore")
                .param("id", messageId)
                .param("notBefore", notBefore(messageId))
                .query(viewMapper)
                .optional();
    }

    /**
     * Several messages by key: {@code ids[i]} was created at {@code createdAts[i]}. One {@code = ANY} list of ids,
     * bounded by the oldest and newest of the times: each id is one probe of the primary key in the partitions
     * that range touches. The bounds are written {@code + INTERVAL '0 s'} (a stable expression, not a constant)
     * so that PostgreSQL prunes partitions when the statement starts rather than when it is planned: a custom plan
     * then looks no cheaper than the generic one, which is cached after five calls instead of re-planning every
     * call (0.4 ms of the list's 20 previews on a small table). Two separate {@code = ANY} lists made PostgreSQL
     * probe every combination of id and time (the push consumer's batch of 500 took 180 ms); pairing ids and times
     * through {@code unnest} cost the list's previews 0.7 ms where this takes 0.25 ms.
     */
    List<MessageView> views(List<UUID> ids, List<Instant> createdAts) {
        Instant oldest = createdAts.stream().min(Instant::compareTo).orElseThrow();
        Instant newest = createdAts.stream().max(Instant::compareTo).orElseThrow();
        return jdbc.sql(SELECT_VIEW + """
                 WHERE m.message_id = ANY(:ids)
                   AND m.created_at BETWEEN CAST(:oldest AS timestamptz) + INTERVAL '0 s'
                                       AND CAST(:newest AS timestamptz) + INTERVAL '0 s'""")
                .param("ids", ids.toArray(UUID[]::new))
                .param("oldest", Timestamp.from(oldest))
                .param("newest", Timestamp.from(newest))
                .query(viewMapper)
                .list();
    }

    /**
     * Newest first, strictly before the given position (or from the newest when null). Two statements rather
     * than an optional condition, so that a cached generic plan still bounds the index scan by seq.
     */
    List<MessageView> pageBefore(UUID conversationId, Long beforeSeq, Instant beforeCreatedAt, int limit) {
        if (beforeSeq == null) {
            return jdbc.sql(SELECT_VIEW + " WHERE m.conversation_id = :cid ORDER BY m.seq DESC LIMIT :limit")
                    .param("cid", conversationId)
                    .param("limit", limit)
                    .query(viewMapper)
                    .list();
        }
        return jdbc.sql(SELECT_VIEW + """
                 WHERE m.conversation_id = :cid AND m.seq < :seq AND m.created_at <= :ts
                ORDER BY m.seq DESC LIMIT :limit""")
                .param("cid", conversationId)
                .param("seq", beforeSeq)
                .param("ts", Timestamp.from(beforeCreatedAt))
                .param("limit", limit)
                .query(viewMapper)
                .list();
    }

    /** Oldest first, strictly after the given position. */
    List<MessageView> pageAfter(UUID conversationId, long afterSeq, Instant afterCreatedAt, int limit) {
        return jdbc.sql(SELECT_VIEW + """
                 WHERE m.conversation_id = :cid AND m.seq > :seq AND m.created_at >= :ts
                ORDER BY m.seq ASC LIMIT :limit""")
                .param("cid", conversationId)
                .param("seq", afterSeq)
                .param("ts", Timestamp.from(afterCreatedAt))
                .param("limit", limit)
                .query(viewMapper)
                .list();
    }

    /** Replaces the text of a live text message; empty when it is deleted or not of that sender. */
    Optional<Instant> edit(Position at, UUID sender, String content, String metadataJson, Instant now) {
        return jdbc.sql("""
                UPDATE messages SET content = :content, metadata = CAST(:metadata AS jsonb), is_edited = TRUE,
                       edited_at = :now
                WHERE message_id = :id AND created_at = :createdAt AND sender_id = :sender
                  AND is_deleted = FALSE AND message_type = 'text'
                RETURNING edited_at""")
                .param("content", content)
                .param("metadata", metadataJson)
                .param("now", Timestamp.from(now))
                .param("id", at.messageId())
                .param("createdAt", Timestamp.from(at.createdAt()))
                .param("sender", sender)
                .query((rs, i) -> rs.getTimestamp(1).toInstant())
                .optional();
    }

    /** Makes a message a tombstone: content and metadata are erased, the row (and its seq) stays. */
    boolean markDeleted(Position at, UUID deletedBy, Instant now) {
        return jdbc.sql("""
                UPDATE messages SET is_deleted = TRUE, deleted_at = :now, deleted_by = :by, content = NULL,
                       metadata = '{}'::jsonb
                WHERE message_id = :id AND created_at = :createdAt AND is_deleted = FALSE""")
                        .param("now", Timestamp.from(now))
                        .param("by", deletedBy)
                        .param("id", at.messageId())
                        .param("createdAt", Timestamp.from(at.createdAt()))
                        .update()
                == 1;
    }

    /** The id lower bound of a UUIDv7: created_at is never earlier than the id's own timestamp. */
    private static Timestamp notBefore(UUID id) {
        Instant ts = Ids.timestampOf(id);
        return Timestamp.from(ts == null ? Instant.EPOCH : ts);
    }
}

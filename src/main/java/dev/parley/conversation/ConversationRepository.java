package dev.parley.conversation;

import dev.parley.membership.ConversationType;
import dev.parley.membership.Role;
import dev.parley.user.UserView;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class ConversationRepository {

    /** One row of a participant's view of a conversation, before participants and the preview are attached. */
    record Row(
            UUID conversationId,
            ConversationType type,
            String name,
            String photoUrl,
            UUID createdBy,
            Instant createdAt,
            Instant updatedAt,
            Instant lastMessageAt,
            long lastSeq,
            Role myRole,
            boolean muted,
            Instant mutedUntil,
            long unread,
            UUID lastMessageId,
            long participantCount,
            boolean e2ee,
            Integer messageTtlSeconds,
            boolean request) {}

    record ParticipantRow(UUID conversationId, UserView user, Role role, Instant joinedAt) {
        ConversationView.Participant view() {
            return new ConversationView.Participant(user, role, joinedAt);
        }
    }

    record Active(UUID userId, Role role, Instant joinedAt) {}

    /**
     * Everything of a conversation list row in one statement: the preview's id and the exact unread count (live,
     * non-system messages of others after the caller's read watermark, from the conversation-keyed index) come from
     * correlated subqueries, so the statement count does not grow with the page. The caller's row comes from
     * {@code view}: active_participants, or pending_requests for the requests folder.
     */
    private static String selectRows(String view, boolean request) {
        return """
                SELECT c.conversation_id, c.type, c.name, c.photo_url, c.created_by, c.created_at, c.updated_at,
                       c.last_message_at, c.last_seq, p.role, p.is_muted, p.muted_until, c.e2ee,
                       c.message_ttl_seconds, %3$s AS is_request,
                       %1$s AS unread,
                       (SELECT m.message_id FROM messages m
                         WHERE m.conversation_id = c.conversation_id AND m.seq = c.last_seq
                           AND m.created_at = c.last_message_at) AS last_message_id,
                       (SELECT count(*) FROM listed_participants o
                         WHERE o.conversation_id = c.conversation_id) AS participant_count
                FROM %2$s p
                JOIN conversations c ON c.conversation_id = p.conversation_id
                """.formatted(UnreadSql.UNREAD_OWN_RECEIPT, view, request);
    }

    private static final String SELECT_ROWS = selectRows("active_participants", false);
    private static final String SELECT_REQUEST_ROWS = selectRows("pending_requests", true);

    private final JdbcClient jdbc;

    ConversationRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insertConversation(
            UUID id, ConversationType type, String name, String photoUrl, UUID createdBy, boolean e2ee, Instant now) {
        jdbc.sql("""
                INSERT INTO conversations (conversation_id, type, name, photo_url, created_by, created_at, updated_at,
                                           last_message_at, e2ee)
                VALUES (:id, :type, :name, :photo, :by, :now, :now, :now, :e2ee)""")
                .param("id", id)
                .param("type", type.wire())
                .param("name", name)
                .param("photo", photoUrl)
                .param("by", createdBy)
                .param("now", Timestamp.from(now))
                .param("e2ee", e2ee)
                .update();
    }

    /** Inserts a direct conversation unless the pair has one; returns the id of the pair's conversation. */
    UUID insertDirect(UUID id, UUID createdBy, String directKey, boolean e2ee, Instant now) {
        int inserted = jdbc.sql("""
                INSERT INTO conversations (conversation_id, type, created_by, created_at, updated_at, last_message_at,
                                           direct_key, e2ee)
                VALUES (:id, 'direct', :by, :now, :now, :now, :key, :e2ee)
                ON CONFLICT (direct_key) DO NOTHING""")
                .param("id", id)
                .param("by", createdBy)
                .param("now", Timestamp.from(now))
                .param("key", directKey)
                .param("e2ee", e2ee)
                .update();
        if (inserted == 1) {
            return id;
        }
        return jdbc.sql("SELECT conversation_id FROM conversations WHERE direct_key = :key")
                .param("key", directKey)
                .query(UUID.class)
                .single();
    }

    /**
     * Adds (or re-activates) a participant, with read and delivered watermarks at the conversation's current seq
     * so that nothing sent before joining counts as unread. With {@code requestedBy}, the row is a request from that
     * user, waiting in the recipient's requests folder. Returns false when already active (or invited).
     */
    boolean addParticipant(UUID conversationId, UUID userId, Role role, Instant now, @Nullable UUID requestedBy) {
        int changed = jdbc.sql("""
                INSERT INTO conversation_participants
                    (participant_id, conversation_id, user_id, role, joined_at, request_state, requested_by)
                VALUES (:pid, :cid, :user, :role, :now, CASE WHEN CAST(:by AS uuid) IS NULL THEN NULL
                                                             ELSE 'pending' END, :by)
                ON CONFLICT (conversation_id, user_id) DO UPDATE
                    SET left_at = NULL, role = EXCLUDED.role, joined_at = EXCLUDED.joined_at, hidden_until_seq = NULL,
                        request_state = EXCLUDED.request_state, requested_by = EXCLUDED.requested_by
                    WHERE conversation_participants.left_at IS NOT NULL""")
                .param("pid", UUID.randomUUID())
                .param("cid", conversationId)
                .param("user", userId)
                .param("role", role.wire())
                .param("now", Timestamp.from(now))
                .param("by", requestedBy, Types.OTHER)
                .update();
        if (changed == 0) {
            return false;
        }
        startWatermarks(conversationId, userId, now);
        return true;
    }

    /** Read and delivered watermarks at the conversation's current seq: what came before does not count unread. */
    void startWatermarks(UUID conversationId, UUID userId, Instant now) {
        jdbc.sql("""
                INSERT INTO message_receipts
                    (conversation_id, user_id, last_delivered_seq, delivered_at, last_read_seq, read_at)
                SELECT :cid, :user, c.last_seq, :now, c.last_seq, :now
                FROM conversations c WHERE c.conversation_id = :cid
                ON CONFLICT (conversation_id, user_id) DO UPDATE
                    SET last_delivered_seq = GREATEST(message_receipts.last_delivered_seq, EXCLUDED.last_delivered_seq),
                        last_read_seq = GREATEST(message_receipts.last_read_seq, EXCLUDED.last_read_seq),
                        delivered_at = EXCLUDED.delivered_at, read_at = EXCLUDED.read_at""")
                .param("cid", conversationId)
                .param("user", userId)
                .param("now", Timestamp.from(now))
                .update();
    }

    /** The user's row: as a participant, else as the recipient of a request waiting in their requests folder. */
    Optional<Row> row(UUID conversationId, UUID userId) {
        return row(SELECT_ROWS, conversationId, userId).or(() -> row(SELECT_REQUEST_ROWS, conversationId, userId));
    }

    private Optional<Row> row(String select, UUID conversationId, UUID userId) {
        return jdbc.sql(select + " WHERE p.conversation_id = :cid AND p.user_id = :user")
                .param("cid", conversationId)
                .param("user", userId)
                .query(ConversationRepository::row)
                .optional();
    }

    /**
     * The caller's visible conversations (or, with {@code requests}, the requests waiting for them), newest
     * activity first, strictly after the (time, id) cursor.
     */
    List<Row> page(UUID userId, boolean requests, Instant beforeTime, UUID beforeId, int limit) {
        return jdbc.sql((requests ? SELECT_REQUEST_ROWS : SELECT_ROWS) + """
                 WHERE p.user_id = :user
                   AND (p.hidden_until_seq IS NULL OR c.last_seq > p.hidden_until_seq)
                   AND (CAST(:beforeTime AS timestamptz) IS NULL
                        OR (c.last_message_at, c.conversation_id) < (:beforeTime, :beforeId))
                 ORDER BY c.last_message_at DESC, c.conversation_id DESC
                 LIMIT :limit""")
                .param("user", userId)
                .param("beforeTime", beforeTime == null ? null : Timestamp.from(beforeTime))
                // A bare time is exclusive: the nil UUID sorts below every id, so rows at exactly that time are
                // left out, as a client paging by the last row's last_message_at expects.
                .param("beforeId", beforeId == null ? new UUID(0L, 0L) : beforeId)
                .param("limit", limit)
                .query(ConversationRepository::row)
                .list();
    }

    /**
     * The first {@code perConversation} active participants of each conversation, in join order: one statement
     * for the page, each conversation read from the index only as far as its preview.
     */
    List<ParticipantRow> participantPreviews(Collection<UUID> conversationIds, int perConversation) {
        if (conversationIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                SELECT c.id AS conversation_id, p.role, p.joined_at, u.user_id, u.username, u.display_name,
                       u.profile_photo_url
                FROM unnest(CAST(:ids AS uuid[])) AS c(id)
                CROSS JOIN LATERAL (
                    SELECT role, joined_at, user_id FROM listed_participants
                    WHERE conversation_id = c.id
                    ORDER BY joined_at, user_id LIMIT :n) p
                JOIN users u ON u.user_id = p.user_id
                ORDER BY c.id, p.joined_at, p.user_id""")
                .param("ids", conversationIds.toArray(UUID[]::new))
                .param("n", perConversation)
                .query(ConversationRepository::participant)
                .list();
    }

    /** Active participants of one conversation in join order, strictly after the cursor. */
    List<ParticipantRow> participantPage(UUID conversationId, TimeIdCursor after, int limit) {
        return jdbc.sql("""
                SELECT p.conversation_id, p.role, p.joined_at, u.user_id, u.username, u.display_name,
                       u.profile_photo_url
                FROM listed_participants p JOIN users u ON u.user_id = p.user_id
                WHERE p.conversation_id = :cid
                  AND (CAST(:afterTime AS timestamptz) IS NULL OR (p.joined_at, p.user_id) > (:afterTime, :afterId))
                ORDER BY p.joined_at, p.user_id
                LIMIT :limit""")
                .param("cid", conversationId)
                .param("afterTime", after == null ? null : Timestamp.from(after.time()))
                .param("afterId", after == null ? new UUID(0L, 0L) : after.id())
                .param("limit", limit)
                .query(ConversationRepository::participant)
                .list();
    }

    /** Active participants, locked, oldest first: membership changes of one group run one at a time. */
    List<Active> lockActive(UUID conversationId) {
        return jdbc.sql("""
                SELECT user_id, role, joined_at FROM active_participants
                WHERE conversation_id = :cid
                ORDER BY joined_at, participant_id FOR UPDATE""")
                .param("cid", conversationId)
                .query((rs, i) -> new Active(
                        rs.getObject(1, UUID.class),
                        Role.of(rs.getString(2)),
                        rs.getTimestamp(3).toInstant()))
                .list();
    }

    void markLeft(UUID conversationId, UUID userId, Instant now) {
        jdbc.sql("""
                UPDATE active_participants SET left_at = :now
                WHERE conversation_id = :cid AND user_id = :user""")
                .param("now", Timestamp.from(now))
                .param("cid", conversationId)
                .param("user", userId)
                .update();
    }

    void setRole(UUID conversationId, UUID userId, Role role) {
        jdbc.sql("UPDATE active_participants SET role = :role WHERE conversation_id = :cid AND user_id = :user")
                .param("role", role.wire())
                .param("cid", conversationId)
                .param("user", userId)
                .update();
    }

    /** Hides a direct conversation for one participant until a message newer than the current one arrives. */
    void hide(UUID conversationId, UUID userId) {
        jdbc.sql("""
                UPDATE conversation_participants p SET hidden_until_seq = c.last_seq
                FROM conversations c
                WHERE c.conversation_id = p.conversation_id AND p.conversation_id = :cid AND p.user_id = :user
                """).param("cid", conversationId).param("user", userId).update();
    }

    /**
     * Shows a direct conversation again for one of its two, who opened it: a request they had there (waiting or
     * declined) is theirs now, as if accepted. True when it was such a request.
     */
    boolean unhide(UUID conversationId, UUID userId) {
        return jdbc.sql("""
                        UPDATE conversation_participants p SET hidden_until_seq = NULL, request_state = NULL
                        FROM conversation_participants o
                        WHERE o.participant_id = p.participant_id AND p.conversation_id = :cid AND p.user_id = :user
                        RETURNING o.request_state IS NOT NULL""")
                .param("cid", conversationId)
                .param("user", userId)
                .query(Boolean.class)
                .optional()
                .orElse(false);
    }

    void setMute(UUID conversationId, UUID userId, boolean muted, Instant until) {
        jdbc.sql("""
                UPDATE active_participants SET is_muted = :muted, muted_until = :until
                WHERE conversation_id = :cid AND user_id = :user""")
                .param("muted", muted)
                .param("until", until == null ? null : Timestamp.from(until))
                .param("cid", conversationId)
                .param("user", userId)
                .update();
    }

    void update(UUID conversationId, String name, String photoUrl, boolean clearPhoto, Instant now) {
        jdbc.sql("""
                UPDATE conversations SET name = COALESCE(:name, name),
                       photo_url = CASE WHEN :clearPhoto THEN NULL ELSE COALESCE(:photo, photo_url) END,
                       updated_at = :now
                WHERE conversation_id = :cid""")
                .param("name", name)
                .param("photo", photoUrl)
                .param("clearPhoto", clearPhoto)
                .param("now", Timestamp.from(now))
                .param("cid", conversationId)
                .update();
    }

    /** Sets the disappearing-messages timer (null: off); false when it already had that value. */
    boolean setMessageTtl(UUID conversationId, @Nullable Integer seconds, Instant now) {
        return jdbc.sql("""
                UPDATE conversations SET message_ttl_seconds = :ttl, updated_at = :now
                WHERE conversation_id = :cid AND message_ttl_seconds IS DISTINCT FROM :ttl""")
                        .param("ttl", seconds, Types.INTEGER)
                        .param("now", Timestamp.from(now))
                        .param("cid", conversationId)
                        .update()
                == 1;
    }

    void archive(UUID conversationId, Instant now) {
        jdbc.sql("UPDATE conversations SET is_archived = TRUE, updated_at = :now WHERE conversation_id = :cid")
                .param("now", Timestamp.from(now))
                .param("cid", conversationId)
                .update();
    }

    Optional<String> currentName(UUID conversationId) {
        return jdbc.sql("SELECT coalesce(name, '') FROM conversations WHERE conversation_id = :cid")
                .param("cid", conversationId)
                .query(String.class)
                .optional();
    }

    private static Row row(ResultSet rs, int i) throws SQLException {
        Timestamp mutedUntil = rs.getTimestamp("muted_until");
        return new Row(
                rs.getObject("conversation_id", UUID.class),
                ConversationType.of(rs.getString("type")),
                rs.getString("name"),
                rs.getString("photo_url"),
                rs.getObject("created_by", UUID.class),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(),
                rs.getTimestamp("last_message_at").toInstant(),
                rs.getLong("last_seq"),
                Role.of(rs.getString("role")),
                rs.getBoolean("is_muted"),
                mutedUntil == null ? null : mutedUntil.toInstant(),
                rs.getLong("unread"),
                rs.getObject("last_message_id", UUID.class),
                rs.getLong("participant_count"),
                rs.getBoolean("e2ee"),
                rs.getObject("message_ttl_seconds", Integer.class),
                rs.getBoolean("is_request"));
    }

    private static ParticipantRow participant(ResultSet rs, int i) throws SQLException {
        return new ParticipantRow(
                rs.getObject("conversation_id", UUID.class),
                new UserView(
                        rs.getObject("user_id", UUID.class),
                        rs.getString("username"),
                        rs.getString("display_name"),
                        rs.getString("profile_photo_url")),
                Role.of(rs.getString("role")),
                rs.getTimestamp("joined_at").toInstant());
    }
}

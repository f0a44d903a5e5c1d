package dev.parley.receipt;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class ReceiptRepository {

    record Watermarks(UUID userId, long deliveredSeq, Instant deliveredAt, long readSeq, Instant readAt) {}

    private static final RowMapper<Watermarks> WATERMARKS = (rs, i) -> new Watermarks(
            rs.getObject(1, UUID.class),
            rs.getLong(2),
            instant(rs.getTimestamp(3)),
            rs.getLong(4),
            instant(rs.getTimestamp(5)));

    private final JdbcClient jdbc;

    ReceiptRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Moves the read watermark (and with it the delivered one) forward to seq; never back. */
    boolean advanceRead(UUID conversationId, UUID userId, long seq, UUID messageId, Instant now) {
        return jdbc.sql("""
                WITH moved AS (
                    UPDATE message_receipts
                    SET last_read_seq = :seq, read_at = :now,
                        delivered_at = CASE WHEN last_delivered_seq < :seq THEN :now ELSE delivered_at END,
                        last_delivered_seq = GREATEST(last_delivered_seq, :seq)
                    WHERE conversation_id = :cid AND user_id = :user AND last_read_seq < :seq
                    RETURNING 1)
                UPDATE conversation_participants SET last_read_message_id = :mid
                WHERE conversation_id = :cid AND user_id = :user AND EXISTS (SELECT 1 FROM moved)""")
                        .param("seq", seq)
                        .param("now", Timestamp.from(now))
                        .param("cid", conversationId)
                        .param("user", userId)
                        .param("mid", messageId)
                        .update()
                > 0;
    }

    /** The watermarks after moving delivery forward; empty when it was there already. */
    Optional<Watermarks> advanceDelivered(UUID conversationId, UUID userId, long seq, Instant now) {
        return jdbc.sql("""
                UPDATE message_receipts SET last_delivered_seq = :seq, delivered_at = :now
                WHERE conversation_id = :cid AND user_id = :user AND last_delivered_seq < :seq
                RETURNING user_id, last_delivered_seq, delivered_at, last_read_seq, read_at""")
                .param("seq", seq)
                .param("now", Timestamp.from(now))
                .param("cid", conversationId)
                .param("user", userId)
                .query(WATERMARKS)
                .optional();
    }

    /** Marks everything up to the conversation's newest message read. */
    boolean readAll(UUID conversationId, UUID userId, Instant now) {
        return jdbc.sql("""
                WITH moved AS (
                    UPDATE message_receipts r
                    SET last_read_seq = c.last_seq, read_at = :now,
                        delivered_at = CASE WHEN r.last_delivered_seq < c.last_seq THEN :now ELSE r.delivered_at END,
                        last_delivered_seq = GREATEST(r.last_delivered_seq, c.last_seq)
                    FROM conversations c
                    WHERE c.conversation_id = r.conversation_id AND r.conversation_id = :cid AND r.user_id = :user
                      AND r.last_read_seq < c.last_seq
                    RETURNING c.last_seq)
                UPDATE conversation_participants p SET last_read_message_id = (
                    SELECT m.message_id FROM messages m, moved
                    WHERE m.conversation_id = :cid AND m.seq = moved.last_seq)
                WHERE p.conversation_id = :cid AND p.user_id = :user AND EXISTS (SELECT 1 FROM moved)""")
                        .param("now", Timestamp.from(now))
                        .param("cid", conversationId)
                        .param("user", userId)
                        .update()
                > 0;
    }

    /**
     * Watermarks of the active participants other than {@code except} (the sender) who were members when the
     * message was sent: someone who joined later never received it.
     */
    List<Watermarks> othersOf(UUID conversationId, UUID except, Instant sentAt) {
        return jdbc.sql("""
                SELECT r.user_id, r.last_delivered_seq, r.delivered_at, r.last_read_seq, r.read_at
                FROM message_receipts r
                JOIN active_participants p ON p.conversation_id = r.conversation_id AND p.user_id = r.user_id
                WHERE r.conversation_id = :cid AND r.user_id <> :except
                  AND p.joined_at <= :sentAt
                ORDER BY p.joined_at, r.user_id""")
                .param("cid", conversationId)
                .param("except", except)
                .param("sentAt", Timestamp.from(sentAt))
                .query(WATERMARKS)
                .list();
    }

    Watermarks of(UUID conversationId, UUID userId) {
        return jdbc.sql("""
                SELECT user_id, last_delivered_seq, delivered_at, last_read_seq, read_at FROM message_receipts
                WHERE conversation_id = :cid AND user_id = :user""")
                .param("cid", conversationId)
                .param("user", userId)
                .query(WATERMARKS)
                .single();
    }

    /** Same definition as the conversation list: live, non-system messages of others after the read watermark. */
    long unread(UUID conversationId, UUID userId) {
        return jdbc.sql("""
                SELECT count(*) FROM messages m, message_receipts r
                WHERE r.conversation_id = :cid AND r.user_id = :user AND m.conversation_id = :cid
                  AND m.seq > r.last_read_seq AND m.is_deleted = FALSE AND m.message_type <> 'system'
                  AND m.sender_id <> :user""")
                .param("cid", conversationId)
                .param("user", userId)
                .query(Long.class)
                .single();
    }

    private static Instant instant(Timestamp ts) {
        return ts == null ? null : ts.toInstant();
    }
}

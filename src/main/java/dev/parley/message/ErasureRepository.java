package dev.parley.message;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The account erasure's statement over messages (see MessageErasure). */
@Repository
class ErasureRepository {

    /** A message that became a tombstone in bulk. */
    record Erased(UUID conversationId, UUID messageId, long seq) {}

    private final JdbcClient jdbc;

    ErasureRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Makes up to {@code limit} of the sender's live messages (text and image; system messages record the group's
     * history) tombstones, as a delete by the sender would, and takes them out of the search index at once.
     */
    List<Erased> tombstoneSomeOf(UUID senderId, int limit, Instant now) {
        return jdbc.sql("""
                WITH doomed AS (
                    SELECT message_id, created_at FROM messages
                    WHERE sender_id = :sender AND NOT is_deleted AND message_type <> 'system'
                    ORDER BY created_at LIMIT :limit),
                erased AS (
                    UPDATE messages m SET is_deleted = TRUE, deleted_at = :now, deleted_by = :sender, content = NULL,
                           metadata = '{}'::jsonb
                    FROM doomed d
                    WHERE m.message_id = d.message_id AND m.created_at = d.created_at
                    RETURNING m.conversation_id, m.message_id, m.seq),
                unindexed AS (
                    DELETE FROM message_search s USING erased e WHERE s.message_id = e.message_id)
                SELECT conversation_id, message_id, seq FROM erased""")
                .param("sender", senderId)
                .param("limit", limit)
                .param("now", Timestamp.from(now))
                .query((rs, i) -> new Erased(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getLong(3)))
                .list();
    }
}

package dev.parley.reaction;

import dev.parley.message.MessageView;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class ReactionRepository {

    private final JdbcClient jdbc;

    ReactionRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Serialises reaction changes on one message, so the distinct-emoji limit holds under concurrency. */
    void lockMessage(UUID messageId) {
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended(CAST(:id AS text), 7))")
                .param("id", messageId)
                .query((rs, i) -> 1)
                .list();
    }

    List<String> distinctEmoji(UUID messageId) {
        return jdbc.sql("SELECT DISTINCT emoji FROM message_reactions WHERE message_id = :id")
                .param("id", messageId)
                .query(String.class)
                .list();
    }

    boolean insert(UUID messageId, UUID conversationId, UUID userId, String emoji, Instant now) {
        return jdbc.sql("""
                INSERT INTO message_reactions (reaction_id, message_id, conversation_id, user_id, emoji, created_at)
                VALUES (:rid, :mid, :cid, :user, :emoji, :now)
                ON CONFLICT (message_id, user_id, emoji) DO NOTHING""")
                        .param("rid", UUID.randomUUID())
                        .param("mid", messageId)
                        .param("cid", conversationId)
                        .param("user", userId)
                        .param("emoji", emoji)
                        .param("now", Timestamp.from(now))
                        .update()
                == 1;
    }

    record Removed(UUID conversationId, UUID messageId, String emoji) {}

    /** Up to {@code limit} of the user's reactions, removed (account erasure). */
    List<Removed> deleteSomeOf(UUID userId, int limit) {
        return jdbc.sql("""
                DELETE FROM message_reactions WHERE reaction_id IN (
                    SELECT reaction_id FROM message_reactions WHERE user_id = :user LIMIT :limit)
                RETURNING conversation_id, message_id, emoji""")
                .param("user", userId)
                .param("limit", limit)
                .query((rs, i) ->
                        new Removed(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3)))
                .list();
    }

    boolean delete(UUID messageId, UUID userId, String emoji) {
        return jdbc.sql("DELETE FROM message_reactions WHERE message_id = :mid AND user_id = :user AND emoji = :emoji")
                        .param("mid", messageId)
                        .param("user", userId)
                        .param("emoji", emoji)
                        .update()
                == 1;
    }

    Map<UUID, List<MessageView.ReactionSummary>> summaries(Collection<UUID> messageIds, UUID viewer) {
        Map<UUID, List<MessageView.ReactionSummary>> out = new LinkedHashMap<>();
        jdbc.sql("""
                SELECT message_id, emoji, count(*) AS n, bool_or(user_id = :viewer) AS mine
                FROM message_reactions WHERE message_id = ANY(:ids)
                GROUP BY message_id, emoji
                ORDER BY message_id, min(created_at), emoji""")
                .param("ids", messageIds.toArray(UUID[]::new))
                .param("viewer", viewer)
                .query((rs, i) -> {
                    out.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>())
                            .add(new MessageView.ReactionSummary(rs.getString(2), rs.getLong(3), rs.getBoolean(4)));
                    return 1;
                })
                .list();
        return out;
    }
}

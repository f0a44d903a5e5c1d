package dev.parley.conversation;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Where conversations sit for one user: the requests waiting in their requests folder (V16: a participant row that
 * is no membership yet, read and written through membership's view {@code pending_requests}) and the answers to
 * them, and the groups they are in. Each answer is one conditional update, so that two devices answering at once
 * settle on one answer.
 */
@Repository
class FolderRepository {

    private final JdbcClient jdbc;

    FolderRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Accepts the user's waiting request: they become an active participant (a group's invitee as of now).
     * Returns false when no request waited (answered meanwhile, say from another device).
     */
    boolean acceptRequest(UUID conversationId, UUID userId, boolean joinsNow, Instant now) {
        return jdbc.sql("""
                        UPDATE pending_requests
                        SET request_state = NULL,
                            joined_at = CASE WHEN :joinsNow THEN CAST(:now AS timestamptz) ELSE joined_at END
                        WHERE conversation_id = :cid AND user_id = :user""")
                        .param("joinsNow", joinsNow)
                        .param("now", Timestamp.from(now))
                        .param("cid", conversationId)
                        .param("user", userId)
                        .update()
                == 1;
    }

    /**
     * Declines the user's waiting request. A direct conversation keeps the row (declined), so that its requester
     * still sees the two of them; a group invitation ends as if the invitee had left. False when none waited.
     */
    boolean declineRequest(UUID conversationId, UUID userId, boolean leaves, Instant now) {
        return jdbc.sql("""
                        UPDATE pending_requests
                        SET request_state = 'declined', left_at = CASE WHEN :leaves THEN CAST(:now AS timestamptz) END
                        WHERE conversation_id = :cid AND user_id = :user""")
                        .param("leaves", leaves)
                        .param("now", Timestamp.from(now))
                        .param("cid", conversationId)
                        .param("user", userId)
                        .update()
                == 1;
    }

    /** The requests waiting for the user, and their unread messages: counted apart from the conversations. */
    ConversationView.Requests requests(UUID userId) {
        return requests(List.of(userId)).get(userId);
    }

    /**
     * {@link #requests(UUID)} of each of the users (each once, if named twice), in one statement; a user nothing
     * waits for counts zero. A plain {@code = ANY} filter, so the statement's generic plan is cached: joining an
     * {@code unnest} of the users was re-planned on every call and cost each conversation list 0.7 ms.
     */
    Map<UUID, ConversationView.Requests> requests(Collection<UUID> userIds) {
        Map<UUID, ConversationView.Requests> counts = new HashMap<>();
        userIds.forEach(id -> counts.put(id, new ConversationView.Requests(0, 0)));
        jdbc.sql("""
                SELECT p.user_id, count(*), COALESCE(sum(%s), 0)
                FROM pending_requests p
                JOIN conversations c ON c.conversation_id = p.conversation_id
                JOIN message_receipts r ON r.conversation_id = p.conversation_id AND r.user_id = p.user_id
                WHERE p.user_id = ANY(:users)
                GROUP BY p.user_id""".formatted(UnreadSql.UNREAD))
                .param("users", counts.keySet().toArray(UUID[]::new))
                .query(rs -> {
                    counts.put(
                            rs.getObject(1, UUID.class), new ConversationView.Requests(rs.getLong(2), rs.getLong(3)));
                });
        return counts;
    }

    /** The users a request waits for in the conversation, other than {@code sender} (primary key lookup). */
    List<UUID> waitingIn(UUID conversationId, UUID sender) {
        return jdbc.sql("""
                SELECT user_id FROM pending_requests WHERE conversation_id = :cid AND user_id <> :sender""")
                .param("cid", conversationId)
                .param("sender", sender)
                .query(UUID.class)
                .list();
    }

    /** Up to {@code limit} groups the user is an active member of (account erasure leaves them). */
    List<UUID> activeGroupsOf(UUID userId, int limit) {
        return jdbc.sql("""
                SELECT p.conversation_id FROM active_participants p
                JOIN conversations c ON c.conversation_id = p.conversation_id
                WHERE p.user_id = :user AND c.type = 'group'
                LIMIT :limit""")
                .param("user", userId)
                .param("limit", limit)
                .query(UUID.class)
                .list();
    }
}

package dev.parley.conversation;

import dev.parley.common.ParleyException;
import dev.parley.user.UserView;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The one membership check every feature uses: a caller who is not an active participant gets
 * CONVERSATION_NOT_FOUND, whether or not the conversation exists.
 */
@Component
public class ConversationAccess {

    private final JdbcClient jdbc;

    ConversationAccess(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The users who are active participants now (none for an unknown conversation). */
    public java.util.Set<UUID> activeParticipantIds(UUID conversationId) {
        return java.util.Set.copyOf(jdbc.sql("""
                SELECT user_id FROM conversation_participants WHERE conversation_id = :cid AND left_at IS NULL""")
                .param("cid", conversationId).query(UUID.class).list());
    }

    /** The users who share at least one conversation with {@code userId} (both active in it), not the user. */
    public java.util.Set<UUID> contactIds(UUID userId) {
        return java.util.Set.copyOf(jdbc.sql("""
                SELECT DISTINCT o.user_id FROM conversation_participants p
                JOIN conversation_participants o ON o.conversation_id = p.conversation_id AND o.left_at IS NULL
                WHERE p.user_id = :user AND p.left_at IS NULL AND o.user_id <> :user""")
                .param("user", userId).query(UUID.class).list());
    }

    /** Whether both users are active participants of at least one conversation. */
    public boolean shareConversation(UUID a, UUID b) {
        return jdbc.sql("""
                SELECT EXISTS (SELECT 1 FROM conversation_participants p
                               JOIN conversation_participants o ON o.conversation_id = p.conversation_id
                               WHERE p.user_id = :a AND p.left_at IS NULL AND o.user_id = :b AND o.left_at IS NULL)""")
                .param("a", a).param("b", b).query(Boolean.class).single();
    }

    /** Throws CONVERSATION_NOT_FOUND. */
    public Membership requireMember(UUID conversationId, UUID userId) {
        return jdbc.sql("""
                SELECT c.type, p.role, u.username, u.display_name, u.profile_photo_url,
                       c.type = 'direct' AND EXISTS (
                           SELECT 1 FROM conversation_participants o
                           JOIN blocks b ON (b.blocker_id = o.user_id AND b.blocked_id = :user)
                                         OR (b.blocker_id = :user AND b.blocked_id = o.user_id)
                           WHERE o.conversation_id = c.conversation_id AND o.user_id <> :user) AS blocked
                FROM conversation_participants p
                JOIN conversations c ON c.conversation_id = p.conversation_id
                JOIN users u ON u.user_id = p.user_id
                WHERE p.conversation_id = :cid AND p.user_id = :user AND p.left_at IS NULL""")
                .param("cid", conversationId).param("user", userId)
                .query((rs, i) -> new Membership(conversationId, rs.getString(1), Role.of(rs.getString(2)),
                        rs.getBoolean(6), new UserView(userId, rs.getString(3), rs.getString(4), rs.getString(5))))
                .optional()
                .orElseThrow(ParleyException::conversationNotFound);
    }
}

package dev.parley.membership;

import dev.parley.user.UserView;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Reads the membership views of V10: {@code active_participants} (who is a member now) and
 * {@code member_standing} (an active member's role, the conversation's type, and whether a direct-conversation
 * block silences them). Other features' SQL reads the same views rather than repeating their predicates.
 */
@Repository
class MembershipRepository {

    private final JdbcClient jdbc;

    MembershipRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Set<UUID> activeParticipantIds(UUID conversationId) {
        return Set.copyOf(jdbc.sql("SELECT user_id FROM active_participants WHERE conversation_id = :cid")
                .param("cid", conversationId)
                .query(UUID.class)
                .list());
    }

    Map<UUID, Set<UUID>> activeParticipantIds(Collection<UUID> conversationIds) {
        Map<UUID, Set<UUID>> byConversation = new HashMap<>();
        conversationIds.forEach(id -> byConversation.put(id, new HashSet<>()));
        jdbc.sql("SELECT conversation_id, user_id FROM active_participants WHERE conversation_id = ANY(:ids)")
                .param("ids", conversationIds.toArray(UUID[]::new))
                .query(rs -> {
                    byConversation.get(rs.getObject(1, UUID.class)).add(rs.getObject(2, UUID.class));
                });
        return byConversation;
    }

    Set<UUID> contactIds(UUID userId) {
        return Set.copyOf(jdbc.sql("""
                SELECT DISTINCT o.user_id FROM active_participants p
                JOIN active_participants o ON o.conversation_id = p.conversation_id
                WHERE p.user_id = :user AND o.user_id <> :user""").param("user", userId).query(UUID.class).list());
    }

    boolean shareConversation(UUID a, UUID b) {
        return jdbc.sql("""
                SELECT EXISTS (SELECT 1 FROM active_participants p
                               JOIN active_participants o ON o.conversation_id = p.conversation_id
                               WHERE p.user_id = :a AND o.user_id = :b)
                               """).param("a", a).param("b", b).query(Boolean.class).single();
    }

    Optional<Membership> standing(UUID conversationId, UUID userId) {
        return jdbc.sql("""
                SELECT s.conversation_type, s.role, s.blocked, u.username, u.display_name, u.profile_photo_url
                FROM member_standing s
                JOIN users u ON u.user_id = s.user_id
                WHERE s.conversation_id = :cid AND s.user_id = :user""")
                .param("cid", conversationId)
                .param("user", userId)
                .query((rs, i) -> new Membership(
                        conversationId,
                        ConversationType.of(rs.getString(1)),
                        Role.of(rs.getString(2)),
                        rs.getBoolean(3),
                        new UserView(userId, rs.getString(4), rs.getString(5), rs.getString(6))))
                .optional();
    }
}

package dev.parley.conversation;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The statements behind {@link UnreadCounts}, built from the conversation list's unread and mute rules. */
@Repository
class UnreadRepository {

    /**
     * Only conversations with something after the read watermark are counted (last_seq > last_read_seq), so a
     * user in many quiet conversations costs one index probe each.
     */
    private static final String BADGES = """
            SELECT p.user_id, sum(%s) AS unread
            FROM active_participants p
            JOIN conversations c ON c.conversation_id = p.conversation_id
            JOIN message_receipts r ON r.conversation_id = p.conversation_id AND r.user_id = p.user_id
            WHERE p.user_id = ANY(:users) AND c.last_seq > r.last_read_seq AND NOT %s
            GROUP BY p.user_id""".formatted(UnreadSql.UNREAD, UnreadSql.MUTED_NOW);

    private static final String READ_TO_END = """
            SELECT u.conversation_id, u.user_id, u.seq
            FROM unnest(:cids, :users, :seqs) AS u(conversation_id, user_id, seq)
            JOIN active_participants p ON p.conversation_id = u.conversation_id AND p.user_id = u.user_id
            JOIN conversations c ON c.conversation_id = p.conversation_id
            JOIN message_receipts r ON r.conversation_id = p.conversation_id AND r.user_id = p.user_id
            WHERE r.last_read_seq = u.seq AND %s = 0""".formatted(UnreadSql.UNREAD);

    private final JdbcClient jdbc;

    UnreadRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Map<UUID, Long> badges(Collection<UUID> userIds, Instant now) {
        Map<UUID, Long> badges = new HashMap<>();
        jdbc.sql(BADGES)
                .param("users", userIds.toArray(UUID[]::new))
                .param("now", Timestamp.from(now))
                .query(rs -> {
                    badges.put(rs.getObject(1, UUID.class), rs.getLong(2));
                });
        return badges;
    }

    Set<UnreadCounts.ReadAt> readToEnd(Collection<UnreadCounts.ReadAt> reads) {
        Set<UnreadCounts.ReadAt> atEnd = new HashSet<>();
        jdbc.sql(READ_TO_END)
                .param(
                        "cids",
                        reads.stream().map(UnreadCounts.ReadAt::conversationId).toArray(UUID[]::new))
                .param("users", reads.stream().map(UnreadCounts.ReadAt::userId).toArray(UUID[]::new))
                .param(
                        "seqs",
                        reads.stream().map(UnreadCounts.ReadAt::lastReadSeq).toArray(Long[]::new))
                .query(rs -> {
                    atEnd.add(new UnreadCounts.ReadAt(
                            rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getLong(3)));
                });
        return atEnd;
    }

    Map<UUID, Set<UUID>> mutedBy(Collection<UUID> conversationIds, Instant now) {
        Map<UUID, Set<UUID>> byConversation = new HashMap<>();
        conversationIds.forEach(id -> byConversation.put(id, new HashSet<>()));
        jdbc.sql("SELECT p.conversation_id, p.user_id FROM active_participants p WHERE p.conversation_id = ANY(:ids)"
                        + " AND " + UnreadSql.MUTED_NOW)
                .param("ids", conversationIds.toArray(UUID[]::new))
                .param("now", Timestamp.from(now))
                .query(rs -> {
                    byConversation.get(rs.getObject(1, UUID.class)).add(rs.getObject(2, UUID.class));
                });
        return byConversation;
    }

    Map<UUID, String> groupNames(Collection<UUID> conversationIds) {
        Map<UUID, String> names = new HashMap<>();
        jdbc.sql("SELECT conversation_id, name FROM conversations WHERE conversation_id = ANY(:ids) AND type = 'group'")
                .param("ids", conversationIds.toArray(UUID[]::new))
                .query(rs -> {
                    names.put(rs.getObject(1, UUID.class), rs.getString(2));
                });
        return names;
    }
}

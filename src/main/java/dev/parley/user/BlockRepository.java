package dev.parley.user;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class BlockRepository {

    private final JdbcClient jdbc;

    BlockRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void block(UUID blocker, UUID blocked, Instant now) {
        jdbc.sql("INSERT INTO blocks (blocker_id, blocked_id, created_at) VALUES (:a, :b, :now) ON CONFLICT DO NOTHING")
                .param("a", blocker)
                .param("b", blocked)
                .param("now", Timestamp.from(now))
                .update();
    }

    void unblock(UUID blocker, UUID blocked) {
        jdbc.sql("DELETE FROM blocks WHERE blocker_id = :a AND blocked_id = :b")
                .param("a", blocker)
                .param("b", blocked)
                .update();
    }

    List<UserView> blockedBy(UUID blocker) {
        return jdbc.sql("""
                SELECT u.user_id, u.username, u.display_name, u.profile_photo_url
                FROM blocks b JOIN users u ON u.user_id = b.blocked_id
                WHERE b.blocker_id = :a ORDER BY b.created_at DESC
                """).param("a", blocker).query(UserRepository.USER).list();
    }

    Set<UUID> blockersOf(UUID blocked) {
        return Set.copyOf(jdbc.sql("SELECT blocker_id FROM blocks WHERE blocked_id = :b")
                .param("b", blocked)
                .query(UUID.class)
                .list());
    }

    /** Who blocked each of {@code blockedIds}, in one statement; every id given is a key. */
    Map<UUID, Set<UUID>> blockersOf(Collection<UUID> blockedIds) {
        Map<UUID, Set<UUID>> out = new HashMap<>();
        blockedIds.forEach(id -> out.put(id, new HashSet<>()));
        jdbc.sql("SELECT blocked_id, blocker_id FROM blocks WHERE blocked_id = ANY(:ids)")
                .param("ids", blockedIds.toArray(UUID[]::new))
                .query(rs -> {
                    out.get(rs.getObject(1, UUID.class)).add(rs.getObject(2, UUID.class));
                });
        return out;
    }

    /** Those of {@code others} who blocked {@code user} or whom {@code user} blocked. */
    Set<UUID> blockedEitherWay(UUID user, Collection<UUID> others) {
        if (others.isEmpty()) {
            return Set.of();
        }
        return Set.copyOf(jdbc.sql("""
                SELECT blocker_id FROM blocks WHERE blocked_id = :user AND blocker_id = ANY(:others)
                UNION
                SELECT blocked_id FROM blocks WHERE blocker_id = :user AND blocked_id = ANY(:others)""")
                .param("user", user)
                .param("others", others.toArray(UUID[]::new))
                .query(UUID.class)
                .list());
    }

    Set<UUID> eitherWay(UUID user) {
        return Set.copyOf(jdbc.sql("""
                SELECT blocked_id FROM blocks WHERE blocker_id = :u
                UNION SELECT blocker_id FROM blocks WHERE blocked_id = :u
                """).param("u", user).query(UUID.class).list());
    }

    boolean eitherBlocks(UUID a, UUID b) {
        return jdbc.sql("""
                SELECT EXISTS (SELECT 1 FROM blocks WHERE (blocker_id = :a AND blocked_id = :b)
                                                      OR (blocker_id = :b AND blocked_id = :a))
                                                      """).param("a", a).param("b", b).query(Boolean.class).single();
    }
}

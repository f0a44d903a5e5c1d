package dev.parley.user;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** {@code account_deletions}: the erasures requested, and which of them have finished. */
@Repository
class AccountDeletionRepository {

    private final JdbcClient jdbc;

    AccountDeletionRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(UUID userId, Instant now) {
        jdbc.sql("""
                INSERT INTO account_deletions (user_id, requested_at) VALUES (:id, :now)
                ON CONFLICT (user_id) DO NOTHING""").param("id", userId).param("now", Timestamp.from(now)).update();
    }

    /**
     * The oldest unfinished erasure that no other node is running, locked until the caller's transaction ends: the
     * lock is what keeps two nodes from erasing one account at once.
     */
    Optional<UUID> lockPending() {
        return jdbc.sql("""
                SELECT user_id FROM account_deletions WHERE completed_at IS NULL
                ORDER BY requested_at LIMIT 1 FOR UPDATE SKIP LOCKED""").query(UUID.class).optional();
    }

    void countRun(UUID userId) {
        jdbc.sql("UPDATE account_deletions SET runs = runs + 1 WHERE user_id = :id")
                .param("id", userId)
                .update();
    }

    void complete(UUID userId, Instant now) {
        jdbc.sql("UPDATE account_deletions SET completed_at = :now WHERE user_id = :id")
                .param("now", Timestamp.from(now))
                .param("id", userId)
                .update();
    }
}

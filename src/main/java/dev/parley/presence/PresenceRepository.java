package dev.parley.presence;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * {@code user_presence} (created with the schema): the durable copy of each user's last status, last_seen_at and
 * device count, written on transitions only.
 */
@Repository
class PresenceRepository {

    private final JdbcClient jdbc;

    PresenceRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Keeps the newest: a transition recorded late by another node never overwrites a later one. */
    void record(UUID userId, String status, Instant lastSeenAt, int devices) {
        jdbc.sql("""
                INSERT INTO user_presence (user_id, status, last_seen_at, device_count, updated_at)
                VALUES (:user, :status, :seen, :devices, now())
                ON CONFLICT (user_id) DO UPDATE SET status = EXCLUDED.status, last_seen_at = EXCLUDED.last_seen_at,
                                                    device_count = EXCLUDED.device_count, updated_at = now()
                WHERE user_presence.last_seen_at IS NULL OR user_presence.last_seen_at <= EXCLUDED.last_seen_at""")
                .param("user", userId)
                .param("status", status)
                .param("seen", Timestamp.from(lastSeenAt))
                .param("devices", devices)
                .update();
    }

    Optional<Instant> lastSeen(UUID userId) {
        return jdbc.sql("SELECT last_seen_at FROM user_presence WHERE user_id = :user AND last_seen_at IS NOT NULL")
                .param("user", userId)
                .query(Timestamp.class)
                .optional()
                .map(Timestamp::toInstant);
    }
}

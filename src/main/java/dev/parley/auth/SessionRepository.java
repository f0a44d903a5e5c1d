package dev.parley.auth;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** {@code sessions}: one row per login, the refresh-token family it started. */
@Repository
class SessionRepository {

    record Row(UUID sessionId, Instant createdAt, Instant lastUsedAt, String userAgent) {}

    private final JdbcClient jdbc;

    SessionRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(UUID sessionId, UUID userId, ClientOrigin origin, Instant now) {
        jdbc.sql("""
                INSERT INTO sessions (session_id, user_id, created_at, last_used_at, user_agent, client_address)
                VALUES (:id, :user, :now, :now, :agent, :address)""")
                .param("id", sessionId)
                .param("user", userId)
                .param("now", Timestamp.from(now))
                .param("agent", origin.userAgent())
                .param("address", origin.address())
                .update();
    }

    /** Records a refresh; false when the session was revoked meanwhile. */
    boolean touchIfLive(UUID sessionId, Instant now) {
        return jdbc.sql("UPDATE sessions SET last_used_at = :now WHERE session_id = :id AND revoked_at IS NULL")
                        .param("now", Timestamp.from(now))
                        .param("id", sessionId)
                        .update()
                == 1;
    }

    /** Revokes a live session, of {@code userId} only when that is given; returns its user when it was live. */
    Optional<UUID> revoke(UUID sessionId, UUID userId, String reason, Instant now) {
        return jdbc.sql("""
                UPDATE sessions SET revoked_at = :now, revoke_reason = :reason
                WHERE session_id = :id AND revoked_at IS NULL AND (CAST(:user AS uuid) IS NULL OR user_id = :user)
                RETURNING user_id""")
                .param("now", Timestamp.from(now))
                .param("reason", reason)
                .param("id", sessionId)
                .param("user", userId)
                .query(UUID.class)
                .optional();
    }

    /** Revokes every live session of the user except {@code keep} (may be null); returns the revoked ids. */
    List<UUID> revokeAll(UUID userId, UUID keep, String reason, Instant now) {
        return jdbc.sql("""
                UPDATE sessions SET revoked_at = :now, revoke_reason = :reason
                WHERE user_id = :user AND revoked_at IS NULL AND session_id IS DISTINCT FROM CAST(:keep AS uuid)
                RETURNING session_id""")
                .param("now", Timestamp.from(now))
                .param("reason", reason)
                .param("user", userId)
                .param("keep", keep)
                .query(UUID.class)
                .list();
    }

    /** The user's sessions that can still be refreshed, most recently used first. */
    List<Row> live(UUID userId, Instant usedSince, int limit) {
        return jdbc.sql("""
                SELECT session_id, created_at, last_used_at, user_agent FROM sessions
                WHERE user_id = :user AND revoked_at IS NULL AND last_used_at > :since
                ORDER BY last_used_at DESC, session_id
                LIMIT :limit""")
                .param("user", userId)
                .param("since", Timestamp.from(usedSince))
                .param("limit", limit)
                .query((rs, i) -> new Row(
                        rs.getObject(1, UUID.class),
                        rs.getTimestamp(2).toInstant(),
                        rs.getTimestamp(3).toInstant(),
                        rs.getString(4)))
                .list();
    }

    /** Whether a session of the user was ever created from this address (and is not purged yet). */
    boolean knownAddress(UUID userId, String address) {
        return jdbc.sql("""
                SELECT EXISTS (SELECT 1 FROM sessions WHERE user_id = :user AND client_address = :address)""")
                .param("user", userId)
                .param("address", address)
                .query(Boolean.class)
                .single();
    }

    /** Removes sessions unused since {@code before}, with their refresh tokens. */
    /** Every session of the user, and with them their refresh tokens (account erasure). */
    int deleteAll(UUID userId) {
        return jdbc.sql("DELETE FROM sessions WHERE user_id = :user")
                .param("user", userId)
                .update();
    }

    int purge(Instant before) {
        return jdbc.sql("DELETE FROM sessions WHERE last_used_at < :before")
                .param("before", Timestamp.from(before))
                .update();
    }
}

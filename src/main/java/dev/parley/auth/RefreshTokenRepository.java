package dev.parley.auth;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class RefreshTokenRepository {

    record Spent(UUID userId, UUID familyId, boolean alreadyUsed, boolean expired) {}

    private final JdbcClient jdbc;

    RefreshTokenRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(byte[] hash, UUID userId, UUID familyId, Instant expiresAt, Instant now) {
        jdbc.sql("""
                INSERT INTO refresh_tokens (token_hash, user_id, family_id, expires_at, created_at)
                VALUES (:hash, :user, :family, :expires, :now)""")
                .param("hash", hash)
                .param("user", userId)
                .param("family", familyId)
                .param("expires", Timestamp.from(expiresAt))
                .param("now", Timestamp.from(now))
                .update();
    }

    /**
     * Marks a token used, atomically, so two concurrent refreshes with one token cannot both succeed. Reports
     * whether it had been used before (a replay) or had expired.
     */
    Optional<Spent> spend(byte[] hash, Instant now) {
        Optional<Spent> fresh = jdbc.sql("""
                UPDATE refresh_tokens SET used_at = :now
                WHERE token_hash = :hash AND used_at IS NULL AND expires_at > :now
                RETURNING user_id, family_id""")
                .param("hash", hash)
                .param("now", Timestamp.from(now))
                .query((rs, i) -> new Spent(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), false, false))
                .optional();
        return fresh.isPresent() ? fresh : find(hash, now);
    }

    /** The user and session (family) of a refresh token, used or not. */
    Optional<Spent> find(byte[] hash, Instant now) {
        return jdbc.sql("""
                SELECT user_id, family_id, used_at IS NOT NULL, expires_at <= :now
                FROM refresh_tokens WHERE token_hash = :hash""")
                .param("hash", hash)
                .param("now", Timestamp.from(now))
                .query((rs, i) -> new Spent(
                        rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getBoolean(3), rs.getBoolean(4)))
                .optional();
    }

    int deleteExpired(Instant before) {
        return jdbc.sql("DELETE FROM refresh_tokens WHERE expires_at < :before")
                .param("before", Timestamp.from(before))
                .update();
    }
}

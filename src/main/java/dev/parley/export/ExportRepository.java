package dev.parley.export;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** {@code exports}: one row per export, its state and where its ZIP is. */
@Repository
class ExportRepository {

    record Row(UUID exportId, UUID userId, String status, long progress, String storageKey, Instant expiresAt) {}

    private final JdbcClient jdbc;

    ExportRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(UUID exportId, UUID userId, Instant now) {
        jdbc.sql("""
                INSERT INTO exports (export_id, user_id, status, created_at) VALUES (:id, :user, 'pending', :now)""")
                .param("id", exportId)
                .param("user", userId)
                .param("now", Timestamp.from(now))
                .update();
    }

    /** The user's export still being built, if any: a second request gets that one. */
    Optional<UUID> pendingOf(UUID userId) {
        return jdbc.sql("SELECT export_id FROM exports WHERE user_id = :user AND status = 'pending' LIMIT 1")
                .param("user", userId)
                .query(UUID.class)
                .optional();
    }

    Optional<Row> find(UUID exportId) {
        return jdbc.sql("""
                SELECT export_id, user_id, status, progress, storage_key, expires_at FROM exports
                WHERE export_id = :id""")
                .param("id", exportId)
                .query((rs, i) -> new Row(
                        rs.getObject(1, UUID.class),
                        rs.getObject(2, UUID.class),
                        rs.getString(3),
                        rs.getLong(4),
                        rs.getString(5),
                        rs.getTimestamp(6) == null ? null : rs.getTimestamp(6).toInstant()))
                .optional();
    }

    void progress(UUID exportId, long messages) {
        jdbc.sql("UPDATE exports SET progress = :p WHERE export_id = :id")
                .param("p", messages)
                .param("id", exportId)
                .update();
    }

    void ready(UUID exportId, String key, long size, Instant now, Instant expiresAt) {
        jdbc.sql("""
                UPDATE exports SET status = 'ready', storage_key = :key, size_bytes = :size, completed_at = :now,
                       expires_at = :expires
                WHERE export_id = :id""")
                .param("key", key)
                .param("size", size)
                .param("now", Timestamp.from(now))
                .param("expires", Timestamp.from(expiresAt))
                .param("id", exportId)
                .update();
    }

    void failed(UUID exportId, Instant now) {
        jdbc.sql("UPDATE exports SET status = 'failed', completed_at = :now WHERE export_id = :id")
                .param("now", Timestamp.from(now))
                .param("id", exportId)
                .update();
    }

    /** Exports kept past their time, or any export of the given user (null: none). */
    List<Row> doomed(Instant now, UUID userId, int limit) {
        return jdbc.sql("""
                SELECT export_id, user_id, status, progress, storage_key, expires_at FROM exports
                WHERE expires_at <= :now OR user_id = :user
                LIMIT :limit""")
                .param("now", Timestamp.from(now))
                .param("user", userId)
                .param("limit", limit)
                .query((rs, i) -> new Row(
                        rs.getObject(1, UUID.class),
                        rs.getObject(2, UUID.class),
                        rs.getString(3),
                        rs.getLong(4),
                        rs.getString(5),
                        null))
                .list();
    }

    void delete(UUID exportId) {
        jdbc.sql("DELETE FROM exports WHERE export_id = :id")
                .param("id", exportId)
                .update();
    }
}

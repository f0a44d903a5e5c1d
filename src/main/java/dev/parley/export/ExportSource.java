package dev.parley.export;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The user's data as an export shows it, read (never written) from the tables of the features that keep it: rows
 * become ordered maps with the contract's snake_case names, so the files read like the API.
 */
@Repository
class ExportSource {

    /** An original image file to put in the archive. */
    record Image(UUID attachmentId, String storageKey, String mimeType, String fileName) {}

    private final JdbcClient jdbc;

    ExportSource(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Map<String, Object>> profile(UUID userId) {
        return jdbc.sql("""
                SELECT user_id, username, display_name, profile_photo_url, created_at FROM users
                WHERE user_id = :user AND deleted_at IS NULL
                """).param("user", userId).query((rs, i) -> row(rs)).optional();
    }

    /**
     * Every conversation the user is or was in, with their role and when they joined and left, and the requests
     * they received (request_state pending or declined; null for a membership).
     */
    List<Map<String, Object>> conversations(UUID userId) {
        return jdbc.sql("""
                SELECT c.conversation_id, c.type, c.name, c.e2ee, c.message_ttl_seconds, c.created_at, p.role,
                       p.joined_at, p.left_at, p.request_state
                FROM conversation_participants p JOIN conversations c ON c.conversation_id = p.conversation_id
                WHERE p.user_id = :user
                ORDER BY p.joined_at, c.conversation_id""").param("user", userId).query((rs, i) -> row(rs)).list();
    }

    /** The user's own live messages after the (created_at, message_id) position, oldest first. */
    List<Map<String, Object>> messages(UUID userId, Instant afterTime, UUID afterId, int limit) {
        return jdbc.sql("""
                SELECT message_id, conversation_id, seq, message_type AS type, content, metadata::text AS metadata,
                       reply_to_message_id AS reply_to, is_edited, edited_at, created_at, expires_at
                FROM messages
                WHERE sender_id = :user AND NOT is_deleted AND (created_at, message_id) > (:time, :id)
                ORDER BY created_at, message_id LIMIT :limit""")
                .param("user", userId)
                .param("time", Timestamp.from(afterTime))
                .param("id", afterId)
                .param("limit", limit)
                .query((rs, i) -> row(rs))
                .list();
    }

    List<Map<String, Object>> reactions(UUID userId) {
        return jdbc.sql("""
                SELECT message_id, conversation_id, emoji, created_at FROM message_reactions
                WHERE user_id = :user ORDER BY created_at""").param("user", userId).query((rs, i) -> row(rs)).list();
    }

    List<Map<String, Object>> receipts(UUID userId) {
        return jdbc.sql("""
                SELECT conversation_id, last_delivered_seq, delivered_at, last_read_seq, read_at
                FROM message_receipts WHERE user_id = :user ORDER BY conversation_id
                """).param("user", userId).query((rs, i) -> row(rs)).list();
    }

    /** The user's images that were sent and are still stored. */
    List<Image> images(UUID userId) {
        return jdbc.sql("""
                SELECT attachment_id, storage_key, mime_type, file_name FROM message_attachments
                WHERE uploader_id = :user AND deleted_at IS NULL AND message_id IS NOT NULL
                  AND storage_key IS NOT NULL
                ORDER BY created_at""")
                .param("user", userId)
                .query((rs, i) ->
                        new Image(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4)))
                .list();
    }

    /** A row as a map of column name to value: timestamps as instants, the metadata as its JSON text. */
    private static Map<String, Object> row(ResultSet rs) throws SQLException {
        Map<String, Object> out = new LinkedHashMap<>();
        int columns = rs.getMetaData().getColumnCount();
        for (int c = 1; c <= columns; c++) {
            Object value = rs.getObject(c);
            out.put(rs.getMetaData().getColumnLabel(c), value instanceof Timestamp ts ? ts.toInstant() : value);
        }
        return out;
    }
}

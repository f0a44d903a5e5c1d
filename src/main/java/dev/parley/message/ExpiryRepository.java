package dev.parley.message;

import dev.parley.eventlog.EventLogSql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The expiry sweep's statements: disappearing messages past their time, and messages older than retention. */
@Repository
class ExpiryRepository {

    /** A message removed for good. */
    record Removed(UUID conversationId, UUID messageId, long seq, UUID senderId, MessageType type) {}

    /** A monthly partition of messages and where it ends. */
    record Partition(String name, Instant end) {}

    private static final RowMapper<Removed> REMOVED = (rs, i) -> new Removed(
            rs.getObject(1, UUID.class),
            rs.getObject(2, UUID.class),
            rs.getLong(3),
            rs.getObject(4, UUID.class),
            MessageType.of(rs.getString(5)));

    private static final String LOCK_KEY = "hashtext('parley_message_expiry')";

    private final JdbcClient jdbc;
    private final DataSource dataSource;

    ExpiryRepository(JdbcClient jdbc, DataSource dataSource) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
    }

    /**
     * Removes up to {@code limit} messages whose {@code expires_at} has passed: the rows themselves (gone from
     * history, sync and unread counts, not left as tombstones), their search entries, and logs a
     * {@code message.deleted} with {@code expired: true} for each, all in one statement.
     */
    List<Removed> removeExpired(Instant now, int limit) {
        return jdbc.sql("""
                WITH doomed AS (
                    SELECT message_id, created_at FROM messages
                    WHERE expires_at <= :now
                    ORDER BY expires_at LIMIT :limit),
                removed AS (
                    DELETE FROM messages m USING doomed d
                    WHERE m.message_id = d.message_id AND m.created_at = d.created_at
                    RETURNING m.conversation_id, m.message_id, m.seq, m.sender_id, m.message_type),
                unindexed AS (
                    DELETE FROM message_search s USING removed r WHERE s.message_id = r.message_id),
                """ + EventLogSql.LOG_EXPIRED_MESSAGES + """
                SELECT conversation_id, message_id, seq, sender_id, message_type FROM removed""")
                .param("now", Timestamp.from(now))
                .param("limit", limit)
                .query(REMOVED)
                .list();
    }

    /** The monthly partitions of messages (named messages_YYYY_MM by PartitionMaintenance), oldest first. */
    List<Partition> partitions() {
        return jdbc.sql("""
                SELECT c.relname,
                       make_timestamptz(CAST(substr(c.relname, 10, 4) AS int), CAST(substr(c.relname, 15, 2) AS int),
                                        1, 0, 0, 0, 'UTC') + interval '1 month'
                FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = CAST('messages' AS regclass) AND c.relname ~ '^messages_[0-9]{4}_[0-9]{2}$'
                ORDER BY c.relname""")
                .query((rs, i) ->
                        new Partition(rs.getString(1), rs.getTimestamp(2).toInstant()))
                .list();
    }

    /** The image messages of one partition (their attachments go before the partition does). */
    List<UUID> imageMessagesIn(Partition partition) {
        return jdbc.sql("SELECT message_id FROM " + quoted(partition) + " WHERE message_type = 'image'")
                .query(UUID.class)
                .list();
    }

    /**
     * Drops a whole month at once: its search entries, then the partition. Taking the partition away locks the
     * messages table briefly; a short lock timeout makes a busy moment skip the drop until the next sweep rather
     * than hold sends up.
     */
    void dropPartition(Partition partition) {
        jdbc.sql("SET LOCAL lock_timeout = '2s'").update();
        jdbc.sql("DELETE FROM message_search WHERE created_at < :end")
                .param("end", Timestamp.from(partition.end()))
                .update();
        jdbc.sql("DROP TABLE " + quoted(partition)).update();
    }

    /** Removes messages older than {@code cutoff} from the partitions that are not wholly older (and the default). */
    List<Removed> removeOlderThan(Instant cutoff, int limit) {
        return jdbc.sql("""
                WITH doomed AS (
                    SELECT message_id, created_at FROM messages WHERE created_at < :cutoff LIMIT :limit),
                removed AS (
                    DELETE FROM messages m USING doomed d
                    WHERE m.message_id = d.message_id AND m.created_at = d.created_at
                    RETURNING m.conversation_id, m.message_id, m.seq, m.sender_id, m.message_type),
                unindexed AS (
                    DELETE FROM message_search s USING removed r WHERE s.message_id = r.message_id)
                SELECT conversation_id, message_id, seq, sender_id, message_type FROM removed""")
                .param("cutoff", Timestamp.from(cutoff))
                .param("limit", limit)
                .query(REMOVED)
                .list();
    }

    /**
     * Runs {@code sweep} while holding the sweep's advisory lock, on a connection of its own kept for the whole
     * sweep (whose batches commit one by one on others): one node sweeps at a time, and a node that dies lets go
     * of the lock with its connection. False, without running, when another node holds it.
     */
    boolean whileLocked(Runnable sweep) {
        try (Connection lock = dataSource.getConnection();
                Statement statement = lock.createStatement()) {
            lock.setAutoCommit(true);
            try (ResultSet rs = statement.executeQuery("SELECT pg_try_advisory_lock(" + LOCK_KEY + ")")) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    return false;
                }
            }
            try {
                sweep.run();
            } finally {
                statement.execute("SELECT pg_advisory_unlock(" + LOCK_KEY + ")");
            }
            return true;
        } catch (SQLException e) {
            throw new DataAccessResourceFailureException("message expiry lock", e);
        }
    }

    /** Partition names come from the catalogue and match messages_YYYY_MM; quoted all the same. */
    private static String quoted(Partition partition) {
        if (!partition.name().matches("messages_[0-9]{4}_[0-9]{2}")) {
            throw new IllegalArgumentException("not a monthly partition: " + partition.name());
        }
        return "\"" + partition.name() + "\"";
    }
}

package dev.parley.webhook;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** {@code webhook_deliveries} (V12): a queue sent strictly in order, one delivery at a time across the cluster. */
@Repository
class WebhookRepository {

    /** The oldest delivery not yet acknowledged. */
    record Delivery(
            long seq,
            UUID deliveryId,
            String body,
            int events,
            int attempts,
            Instant nextAttemptAt,
            Instant createdAt) {}

    /** What the status endpoint shows. */
    record Backlog(
            long pending,
            long events,
            Instant oldestCreatedAt,
            Integer headAttempts,
            Integer lastStatus,
            String lastError) {}

    private final JdbcClient jdbc;

    WebhookRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(UUID deliveryId, String body, int events, Instant now) {
        jdbc.sql("""
                INSERT INTO webhook_deliveries (delivery_id, body, events, next_attempt_at, created_at)
                VALUES (:id, :body, :events, :now, :now)""")
                .param("id", deliveryId)
                .param("body", body)
                .param("events", events)
                .param("now", Timestamp.from(now))
                .update();
    }

    /**
     * Makes this transaction the only sender until it ends (an advisory lock, released with the transaction or
     * the node), so that deliveries leave in order even with several nodes.
     */
    boolean claimSender() {
        return Boolean.TRUE.equals(jdbc.sql("SELECT pg_try_advisory_xact_lock(hashtext('parley_webhook_sender'))")
                .query(Boolean.class)
                .single());
    }

    Optional<Delivery> head() {
        return jdbc.sql("""
                SELECT seq, delivery_id, body, events, attempts, next_attempt_at, created_at
                FROM webhook_deliveries ORDER BY seq LIMIT 1""")
                .query((rs, i) -> new Delivery(
                        rs.getLong(1),
                        rs.getObject(2, UUID.class),
                        rs.getString(3),
                        rs.getInt(4),
                        rs.getInt(5),
                        rs.getTimestamp(6).toInstant(),
                        rs.getTimestamp(7).toInstant()))
                .optional();
    }

    void delete(long seq) {
        jdbc.sql("DELETE FROM webhook_deliveries WHERE seq = :seq")
                .param("seq", seq)
                .update();
    }

    void failed(long seq, Instant next, Integer status, String error) {
        jdbc.sql("""
                UPDATE webhook_deliveries SET attempts = attempts + 1, next_attempt_at = :next, last_status = :status,
                       last_error = :error
                WHERE seq = :seq""")
                .param("seq", seq)
                .param("next", Timestamp.from(next))
                .param("status", status)
                .param("error", error == null ? null : error.substring(0, Math.min(error.length(), 500)))
                .update();
    }

    Backlog backlog() {
        return jdbc.sql("""
                SELECT (SELECT count(*) FROM webhook_deliveries),
                       (SELECT coalesce(sum(events), 0) FROM webhook_deliveries),
                       h.created_at, h.attempts, h.last_status, h.last_error
                FROM (SELECT 1) one
                LEFT JOIN (SELECT * FROM webhook_deliveries ORDER BY seq LIMIT 1) h ON TRUE""")
                .query((rs, i) -> {
                    Timestamp oldest = rs.getTimestamp(3);
                    return new Backlog(
                            rs.getLong(1),
                            rs.getLong(2),
                            oldest == null ? null : oldest.toInstant(),
                            (Integer) rs.getObject(4),
                            (Integer) rs.getObject(5),
                            rs.getString(6));
                })
                .single();
    }
}

package dev.parley.push.dispatch;

import dev.parley.push.Platform;
import dev.parley.push.providers.PushTarget;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * {@code push_queue} (V12): one row per device and collapse key, claimed by workers of any node with
 * {@code FOR UPDATE SKIP LOCKED} and a lease (each worker only the platforms its node can send), deleted once sent
 * or once expired ({@code created_at}: when its current payload was queued).
 */
@Repository
class PushQueue {

    /** A push to queue: replaces the payload of one not yet sent for the same device and conversation. */
    record Pending(UUID deviceId, String collapseKey, String payloadJson) {}

    /** A claimed push with its target. */
    record Claimed(long pushId, int rev, int attempts, PushTarget target, String payloadJson) {}

    /** A push to try again at {@code at}. */
    record Later(long pushId, Instant at) {}

    private static final String CLAIM = """
            WITH due AS (
                SELECT q.push_id FROM push_queue q JOIN devices d ON d.device_id = q.device_id
                WHERE q.due_at <= :now AND d.platform = ANY(:platforms)
                ORDER BY q.due_at LIMIT :batch FOR UPDATE OF q SKIP LOCKED),
            claimed AS (
                UPDATE push_queue q SET due_at = :leaseUntil, attempts = q.attempts + 1
                FROM due WHERE q.push_id = due.push_id
                RETURNING q.push_id, q.rev, q.attempts, q.device_id, q.payload::text AS payload)
            SELECT c.push_id, c.rev, c.attempts, c.device_id, c.payload, d.platform, d.token, d.p256dh, d.auth,
                   d.session_id
            FROM claimed c JOIN devices d ON d.device_id = c.device_id""";

    private final JdbcClient jdbc;
    private final List<Runnable> onQueued = new CopyOnWriteArrayList<>();

    PushQueue(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Runs {@code action} after each commit that queued pushes (on the committing thread: keep it short). */
    void afterQueued(Runnable action) {
        onQueued.add(action);
    }

    /**
     * Queues the pushes (at most one per device and collapse key in {@code pushes}); a device deleted meanwhile is
     * skipped. A replaced payload keeps the row's due time, so a push held back by a provider's Retry-After
     * stays held back.
     */
    void enqueue(List<Pending> pushes) {
        if (pushes.isEmpty()) {
            return;
        }
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            // Once they commit, this node's worker can claim them: it need not wait for its next interval.
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    onQueued.forEach(Runnable::run);
                }
            });
        }
        jdbc.sql("""
                INSERT INTO push_queue (device_id, collapse_key, payload, due_at, created_at)
                SELECT u.device_id, u.collapse_key, CAST(u.payload AS jsonb), now(), now()
                FROM unnest(:devices, :keys, :payloads) AS u(device_id, collapse_key, payload)
                JOIN devices d ON d.device_id = u.device_id
                ON CONFLICT (device_id, collapse_key) DO UPDATE
                    SET payload = EXCLUDED.payload, rev = push_queue.rev + 1, attempts = 0,
                        created_at = EXCLUDED.created_at""")
                .param("devices", pushes.stream().map(Pending::deviceId).toArray(UUID[]::new))
                .param("keys", pushes.stream().map(Pending::collapseKey).toArray(String[]::new))
                .param("payloads", pushes.stream().map(Pending::payloadJson).toArray(String[]::new))
                .update();
    }

    /** Claims up to {@code batch} due pushes to {@code platforms} until {@code leaseUntil}, in one statement. */
    List<Claimed> claim(int batch, Instant now, Instant leaseUntil, List<Platform> platforms) {
        return jdbc.sql(CLAIM)
                .param("platforms", platforms.stream().map(Platform::wire).toArray(String[]::new))
                .param("now", Timestamp.from(now))
                .param("leaseUntil", Timestamp.from(leaseUntil))
                .param("batch", batch)
                .query((rs, i) -> new Claimed(
                        rs.getLong("push_id"),
                        rs.getInt("rev"),
                        rs.getInt("attempts"),
                        new PushTarget(
                                rs.getObject("device_id", UUID.class),
                                Platform.ofWire(rs.getString("platform")).orElseThrow(),
                                rs.getString("token"),
                                rs.getString("p256dh"),
                                rs.getString("auth"),
                                rs.getObject("session_id", UUID.class)),
                        rs.getString("payload")))
                .list();
    }

    /**
     * The pushes the provider accepted leave the queue, unless a newer payload replaced theirs meanwhile: that
     * one is due at once.
     */
    void sent(List<Claimed> pushes, Instant now) {
        if (pushes.isEmpty()) {
            return;
        }
        Long[] ids = pushes.stream().map(Claimed::pushId).toArray(Long[]::new);
        jdbc.sql("""
                DELETE FROM push_queue q USING unnest(:ids, :revs) AS s(push_id, rev)
                WHERE q.push_id = s.push_id AND q.rev = s.rev""")
                .param("ids", ids)
                .param("revs", pushes.stream().map(Claimed::rev).toArray(Integer[]::new))
                .update();
        jdbc.sql("UPDATE push_queue SET due_at = :now, attempts = 0 WHERE push_id = ANY(:ids)")
                .param("ids", ids)
                .param("now", Timestamp.from(now))
                .update();
    }

    void later(List<Later> pushes) {
        if (pushes.isEmpty()) {
            return;
        }
        jdbc.sql("""
                UPDATE push_queue q SET due_at = s.at
                FROM unnest(:ids, CAST(:ats AS timestamptz[])) AS s(push_id, at) WHERE q.push_id = s.push_id""")
                .param("ids", pushes.stream().map(Later::pushId).toArray(Long[]::new))
                .param("ats", pushes.stream().map(p -> p.at().toString()).toArray(String[]::new))
                .update();
    }

    void drop(List<Long> pushIds) {
        if (!pushIds.isEmpty()) {
            jdbc.sql("DELETE FROM push_queue WHERE push_id = ANY(:ids)")
                    .param("ids", pushIds.toArray(Long[]::new))
                    .update();
        }
    }

    /**
     * Deletes the pushes queued before {@code cutoff} and still waiting (a platform no node can send, or a
     * provider's long Retry-After); returns the platform of each, to count them. A push in flight may go too:
     * its settling then finds no row.
     */
    List<Platform> expire(Instant cutoff) {
        return jdbc.sql("""
                DELETE FROM push_queue q USING devices d
                WHERE d.device_id = q.device_id AND q.created_at < :cutoff
                RETURNING d.platform""")
                .param("cutoff", Timestamp.from(cutoff))
                .query((rs, i) -> Platform.ofWire(rs.getString("platform")).orElseThrow())
                .list();
    }

    long depth() {
        return jdbc.sql("SELECT count(*) FROM push_queue").query(Long.class).single();
    }
}

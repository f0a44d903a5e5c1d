package dev.parley.push.dispatch;

import dev.parley.eventlog.EventType;
import dev.parley.push.LogEvent;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The notify consumer's reading of the catch-up log ({@code events}) and its cursor ({@code log_consumers}, V12),
 * by the search indexer's rule: only events of transactions below the oldest one still running (the horizon) are
 * read, in (xid, event_id) order, so no event can later commit behind the cursor.
 */
@Repository
class NotifyLog {

    static final String CONSUMER = "notify";

    /** Where the consumer stands: after (xid, eventId). */
    record Cursor(long xid, long eventId) {}

    private static final String READ = """
            SELECT e.xid::text, e.event_id, e.conversation_id, e.type, e.actor_id, e.message_id, %s,
                   e.created_at, e.origin_session, e.data->>'system', e.data->>'seq',
                   CASE WHEN e.type IN (%s)
                        THEN (extract(epoch FROM (e.data->>'created_at')::timestamptz) * 1000000)::bigint END,
                   e.data->>'user_id', e.data->>'last_read_seq'
            FROM events e
            WHERE (e.xid, e.event_id) > (CAST(:xid AS xid8), :eventId) AND e.xid < CAST(:horizon AS xid8)%s
            ORDER BY e.xid, e.event_id
            LIMIT :batch""";

    /**
     * The events whose data holds a message's {@code created_at} (its partition key, which readers of the message
     * need), handed over as microseconds since the epoch: no date is parsed in Java.
     */
    private static final String MESSAGE_TYPES = EventType.sqlList(EventType.MESSAGE_NEW, EventType.MESSAGE_UPDATED);

    /** The types notifications derive from, when no subscriber wants the rest. */
    private static final String NOTIFY_TYPES =
            " AND e.type IN (%s)".formatted(EventType.sqlList(EventType.MESSAGE_NEW, EventType.RECEIPT_UPDATED));

    /** Every type, with the stored JSON for the subscribers. */
    private static final String READ_ALL = READ.formatted("e.data::text", MESSAGE_TYPES, "");

    /**
     * Only the types notifications derive from, without the stored JSON: the consumer needs a few of its fields,
     * which PostgreSQL hands over as text ({@code ->>}), so no event's JSON is shipped or parsed for it.
     */
    private static final String READ_NOTIFY = READ.formatted("NULL", MESSAGE_TYPES, NOTIFY_TYPES);

    private final JdbcClient jdbc;

    NotifyLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Makes this transaction the consumer until it ends, or answers false when another node's is at work: a
     * transaction-level advisory lock, which writes nothing and dies with the transaction (or the node).
     */
    boolean claim() {
        return Boolean.TRUE.equals(jdbc.sql("SELECT pg_try_advisory_xact_lock(hashtext('parley_notify_consumer'))")
                .query(Boolean.class)
                .single());
    }

    /** Every transaction below it has finished. */
    long horizon() {
        return Long.parseLong(jdbc.sql("SELECT pg_snapshot_xmin(pg_current_snapshot())::text")
                .query(String.class)
                .single());
    }

    Cursor cursor() {
        return jdbc.sql("SELECT xid::text, event_id FROM log_consumers WHERE consumer = :consumer")
                .param("consumer", CONSUMER)
                .query((rs, i) -> new Cursor(Long.parseLong(rs.getString(1)), rs.getLong(2)))
                .single();
    }

    /**
     * The events after the cursor and below the horizon, in log order, each with its own cursor position and the
     * fields of its data the consumer reads; with {@code everyType} every type and each event's data, otherwise
     * only the notify types and no data ({@link LogEvent#data()} null).
     */
    List<Positioned> read(Cursor after, long horizon, int batch, boolean everyType) {
        return jdbc.sql(everyType ? READ_ALL : READ_NOTIFY)
                .param("xid", Long.toString(after.xid()))
                .param("eventId", after.eventId())
                .param("horizon", Long.toString(horizon))
                .param("batch", batch)
                .query((rs, i) -> new Positioned(
                        new Cursor(Long.parseLong(rs.getString(1)), rs.getLong(2)),
                        new LogEvent(
                                rs.getLong(2),
                                rs.getObject(3, UUID.class),
                                rs.getString(4),
                                rs.getObject(5, UUID.class),
                                rs.getObject(6, UUID.class),
                                rs.getString(7),
                                rs.getTimestamp(8).toInstant(),
                                rs.getObject(9, UUID.class),
                                micros(rs.getObject(12, Long.class))),
                        new Fields(
                                "true".equals(rs.getString(10)),
                                seq(rs.getString(11)),
                                rs.getString(13),
                                seq(rs.getString(14)))))
                .list();
    }

    private static Instant micros(Long sinceEpoch) {
        return sinceEpoch == null ? null : Instant.EPOCH.plus(sinceEpoch, ChronoUnit.MICROS);
    }

    private static long seq(String text) {
        return text == null ? 0 : Long.parseLong(text);
    }

    /**
     * What the consumer reads of an event's data besides the message's time ({@link LogEvent#messageCreatedAt}): a
     * message's {@code system} and {@code seq}, a receipt's {@code user_id} and {@code last_read_seq}; absent ones
     * false, 0 or null.
     */
    record Fields(boolean system, long seq, String userId, long lastReadSeq) {}

    record Positioned(Cursor position, LogEvent event, Fields fields) {}

    void advance(Cursor to) {
        jdbc.sql("""
                UPDATE log_consumers SET xid = CAST(:xid AS xid8), event_id = :eventId, updated_at = now()
                WHERE consumer = :consumer""")
                .param("xid", Long.toString(to.xid()))
                .param("eventId", to.eventId())
                .param("consumer", CONSUMER)
                .update();
    }
}

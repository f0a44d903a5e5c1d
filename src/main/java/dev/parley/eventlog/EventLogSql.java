package dev.parley.eventlog;

/**
 * The catch-up log's SQL for statements that append in the statement that makes the change, so that the hot
 * paths (a send stores its messages and logs them in one round trip) keep their cost while the log's shape stays
 * written here only.
 */
public final class EventLogSql {

    /**
     * A data-modifying CTE, named {@code logged}, appending a {@code message.new} event for each row of a CTE
     * named {@code stored} with the columns {@code message_id, conversation_id, seq, sender_id, created_at} and
     * {@code is_system} (a system message: sync shows it whoever its author blocked). Put it after {@code stored}
     * in the statement's WITH list, followed directly by the final SELECT (it ends without a comma). The log
     * keeps only seq and time: sync reads the message itself from {@code messages} when a client catches up.
     */
    public static final String LOG_STORED_MESSAGES = """
            logged AS (
                INSERT INTO events (conversation_id, type, actor_id, message_id, data)
                SELECT conversation_id, %s, sender_id, message_id,
                       jsonb_build_object('seq', seq, 'created_at', created_at, 'system', is_system)
                FROM stored ORDER BY conversation_id, seq)
            """.formatted(EventType.MESSAGE_NEW.sql());

    /**
     * A data-modifying CTE, named {@code logged}, appending a {@code message.deleted} event with
     * {@code expired: true} for each row of a CTE named {@code removed} with the columns
     * {@code conversation_id, message_id, seq, sender_id}: messages whose disappearing timer ran out. The data has
     * the shape of a deletion's frame. Placed like {@link #LOG_STORED_MESSAGES}.
     */
    public static final String LOG_EXPIRED_MESSAGES = """
            logged AS (
                INSERT INTO events (conversation_id, type, actor_id, message_id, data)
                SELECT conversation_id, %s, NULL, message_id,
                       jsonb_build_object('conversation_id', conversation_id, 'message_id', message_id, 'seq', seq,
                                          'sender_id', sender_id, 'deleted_by', NULL, 'expired', TRUE)
                FROM removed ORDER BY conversation_id, seq)
            """.formatted(EventType.MESSAGE_DELETED.sql());

    private EventLogSql() {}
}

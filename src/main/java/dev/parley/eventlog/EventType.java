package dev.parley.eventlog;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The kinds of change the catch-up log records. The wire name ({@code message.new}) is the WebSocket event frame's
 * {@code type}, the {@code type} of a sync event, and the value of {@code events.type}; nothing else spells it.
 */
public enum EventType {
    MESSAGE_NEW,
    MESSAGE_UPDATED,
    MESSAGE_DELETED,
    MESSAGE_REACTION,
    RECEIPT_UPDATED,
    CONVERSATION_UPDATED,
    PARTICIPANT_ADDED,
    PARTICIPANT_REMOVED;

    private final String wire = name().toLowerCase(Locale.ROOT).replace('_', '.');

    /** {@code message.new}, as the contract spells it. */
    @JsonValue
    public String wire() {
        return wire;
    }

    /**
     * The wire name as an SQL string literal ({@code 'message.new'}), for statements that filter the log by type:
     * spelled into the statement rather than bound, so that the planner can match it against the partial indexes
     * on {@code events} (V3) in cached generic plans too.
     */
    public String sql() {
        return "'" + wire + "'";
    }

    /** Several types as a list of SQL literals, for {@code type IN (...)}. */
    public static String sqlList(EventType... types) {
        return Arrays.stream(types).map(EventType::sql).collect(Collectors.joining(", "));
    }

    public static Optional<EventType> ofWire(String wire) {
        return Arrays.stream(values()).filter(type -> type.wire.equals(wire)).findFirst();
    }
}

package dev.parley.realtime;

import dev.parley.eventlog.EventType;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.TextMessage;
import tools.jackson.databind.json.JsonMapper;

/**
 * The contract's frame types, and their encoding: {@code {"type": ..., "data": {...}}} in snake_case. The types of
 * logged events come from {@link EventType}; the rest (typing, presence, acks) are never logged.
 */
@Component
class Frames {

    static final String MESSAGE_NEW = EventType.MESSAGE_NEW.wire();
    static final String MESSAGE_UPDATED = EventType.MESSAGE_UPDATED.wire();
    static final String MESSAGE_DELETED = EventType.MESSAGE_DELETED.wire();
    static final String MESSAGE_REACTION = EventType.MESSAGE_REACTION.wire();
    static final String TYPING_INDICATOR = "typing.indicator";
    static final String RECEIPT_UPDATED = EventType.RECEIPT_UPDATED.wire();
    static final String CONVERSATION_UPDATED = EventType.CONVERSATION_UPDATED.wire();
    static final String PARTICIPANT_ADDED = EventType.PARTICIPANT_ADDED.wire();
    static final String PARTICIPANT_REMOVED = EventType.PARTICIPANT_REMOVED.wire();
    static final String PRESENCE_UPDATED = "presence.updated";
    static final String MESSAGE_ACK = "message.ack";
    static final String PONG = "pong";
    static final String ERROR = "error";

    private record Envelope(String type, Object data) {
    }

    /** The connection whose client frame is being handled on this thread; events it causes skip it. */
    private static final ThreadLocal<String> ORIGIN = new ThreadLocal<>();

    private final JsonMapper json;

    Frames(JsonMapper json) {
        this.json = json;
    }

    TextMessage encode(String type, Object data) {
        return new TextMessage(json.writeValueAsBytes(new Envelope(type, data)));
    }

    /** An event frame, marked with the connection that caused it when it was caused over a socket. */
    Frame event(String type, Object data) {
        return new Frame(type, encode(type, data), ORIGIN.get());
    }

    /** Runs a client's request with its connection as the origin of the events it causes. */
    static <T> T from(String connectionId, java.util.function.Supplier<T> request) {
        ORIGIN.set(connectionId);
        try {
            return request.get();
        } finally {
            ORIGIN.remove();
        }
    }
}

package dev.parley.eventlog;

import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one way to append to the catch-up log from Java; statements that log what they store in the same statement
 * embed {@link EventLogSql} instead. An event row must commit or roll back with the change it records, so an
 * append outside a transaction (the change has committed already, and the row would not be atomic with it) is a
 * bug, and fails loudly.
 */
@Component
public class EventAppender {

    private final EventRepository events;
    private final JsonMapper json;

    EventAppender(EventRepository events, JsonMapper json) {
        this.events = events;
        this.json = json;
    }

    /**
     * Appends one event, inside the caller's transaction. {@code data} is serialised as the event's frame data
     * (snake_case JSON), so that sync answers with the same shapes as the WebSocket.
     */
    public void append(UUID conversationId, EventType type, UUID actorId, UUID messageId, Object data) {
        append(conversationId, type, actorId, messageId, data, null);
    }

    /**
     * As above, remembering which session caused the event ({@code events.origin_session}, never sent to clients):
     * the notification consumer sends a read's {@code conversation.read} push only to the reader's other devices.
     */
    public void append(
            UUID conversationId, EventType type, UUID actorId, UUID messageId, Object data, UUID originSession) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException(type.wire() + " was published outside a transaction; its event row "
                    + "would not commit with the change");
        }
        events.insert(conversationId, type.wire(), actorId, messageId, json.writeValueAsString(data), originSession);
    }
}

package dev.parley.realtime.sync;

import dev.parley.conversation.ConversationUpdated;
import dev.parley.conversation.ParticipantAdded;
import dev.parley.conversation.ParticipantRemoved;
import dev.parley.eventlog.EventAppender;
import dev.parley.eventlog.EventType;
import dev.parley.message.MessageDeleted;
import dev.parley.message.MessageEdited;
import dev.parley.message.MessageImageUpdated;
import dev.parley.message.MessageView;
import dev.parley.reaction.ReactionAdded;
import dev.parley.reaction.ReactionRemoved;
import dev.parley.realtime.delivery.EventFrames;
import dev.parley.receipt.ReceiptUpdated;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Appends to the catch-up log ({@code events}, see the eventlog module) every change except new messages, which
 * the message statements log themselves. These listeners are synchronous: they run on the publisher's thread,
 * inside the publisher's transaction, so the event row commits or rolls back with the change; the appender
 * refuses a publisher outside a transaction.
 *
 * <p>The row's {@code data} is the event's WebSocket frame data, so sync answers with the same shapes; message
 * edits keep only seq and time, and sync reads the message's current state when a client catches up.
 */
@Component
class EventLog {

    private final EventAppender log;

    EventLog(EventAppender log) {
        this.log = log;
    }

    @EventListener
    void on(MessageEdited event) {
        updated(event.message());
    }

    /** Recorded as an edit is: sync answers both with the message as it is when the client catches up. */
    @EventListener
    void on(MessageImageUpdated event) {
        updated(event.message());
    }

    private void updated(MessageView message) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("seq", message.seq());
        data.put("created_at", message.createdAt().toString());
        record(message.conversationId(), EventType.MESSAGE_UPDATED, message.senderId(), message.messageId(), data);
    }

    @EventListener
    void on(MessageDeleted event) {
        record(event.conversationId(), EventType.MESSAGE_DELETED, event.deletedBy(), event.messageId(), event);
    }

    @EventListener
    void on(ReactionAdded event) {
        record(
                event.conversationId(),
                EventType.MESSAGE_REACTION,
                event.userId(),
                event.messageId(),
                new EventFrames.Reaction(
                        event.conversationId(), event.messageId(), event.userId(), event.emoji(), "added"));
    }

    @EventListener
    void on(ReactionRemoved event) {
        record(
                event.conversationId(),
                EventType.MESSAGE_REACTION,
                event.userId(),
                event.messageId(),
                new EventFrames.Reaction(
                        event.conversationId(), event.messageId(), event.userId(), event.emoji(), "removed"));
    }

    @EventListener
    void on(ReceiptUpdated event) {
        log.append(
                event.conversationId(), EventType.RECEIPT_UPDATED, event.userId(), null, event, event.originSession());
    }

    @EventListener
    void on(ConversationUpdated event) {
        record(event.conversationId(), EventType.CONVERSATION_UPDATED, event.updatedBy(), null, event);
    }

    @EventListener
    void on(ParticipantAdded event) {
        record(event.conversationId(), EventType.PARTICIPANT_ADDED, event.addedBy(), null, event);
    }

    @EventListener
    void on(ParticipantRemoved event) {
        record(event.conversationId(), EventType.PARTICIPANT_REMOVED, event.removedBy(), null, event);
    }

    private void record(UUID conversationId, EventType type, UUID actor, UUID messageId, Object data) {
        log.append(conversationId, type, actor, messageId, data);
    }
}

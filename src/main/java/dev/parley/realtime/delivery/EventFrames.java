package dev.parley.realtime.delivery;

import dev.parley.message.MessageView;
import java.util.UUID;

/**
 * The event frames the server pushes (the contract's server-to-client types), and the data of those whose shape is
 * not the feature's event itself. The catch-up log stores the same data, so sync answers with these shapes too.
 */
public final class EventFrames {

    public static final String MESSAGE_NEW = "message.new";
    public static final String MESSAGE_UPDATED = "message.updated";
    public static final String MESSAGE_DELETED = "message.deleted";
    public static final String MESSAGE_REACTION = "message.reaction";
    public static final String TYPING_INDICATOR = "typing.indicator";
    public static final String RECEIPT_UPDATED = "receipt.updated";
    public static final String CONVERSATION_UPDATED = "conversation.updated";
    public static final String PARTICIPANT_ADDED = "participant.added";
    public static final String PARTICIPANT_REMOVED = "participant.removed";
    public static final String PRESENCE_UPDATED = "presence.updated";

    /** {@code message.new} and {@code message.updated}. */
    public record NewMessage(UUID conversationId, MessageView message) {
    }

    /** {@code message.reaction}; {@code action} is {@code added} or {@code removed}. */
    public record Reaction(UUID conversationId, UUID messageId, UUID userId, String emoji, String action) {
    }

    /** {@code typing.indicator}. */
    record Typing(UUID conversationId, UUID userId, String username, boolean isTyping) {
    }

    private EventFrames() {
    }
}

package dev.parley.realtime.delivery;

import dev.parley.conversation.ConversationView;
import dev.parley.eventlog.EventType;
import java.util.UUID;

/**
 * The event frames the server pushes (the contract's server-to-client types), and the data of those whose shape is
 * not the feature's event itself (a message event's is {@link dev.parley.message.MessageEventData}, which
 * webhooks send too). The catch-up log stores the same data, so sync answers with these shapes too.
 * The types of logged events are {@link EventType}'s, which alone spells them; the rest (typing, presence, the
 * requests folder's notice) are never logged.
 */
public final class EventFrames {

    public static final String MESSAGE_NEW = EventType.MESSAGE_NEW.wire();
    public static final String MESSAGE_UPDATED = EventType.MESSAGE_UPDATED.wire();
    public static final String MESSAGE_DELETED = EventType.MESSAGE_DELETED.wire();
    public static final String MESSAGE_REACTION = EventType.MESSAGE_REACTION.wire();
    public static final String TYPING_INDICATOR = "typing.indicator";
    public static final String RECEIPT_UPDATED = EventType.RECEIPT_UPDATED.wire();
    public static final String CONVERSATION_UPDATED = EventType.CONVERSATION_UPDATED.wire();
    public static final String PARTICIPANT_ADDED = EventType.PARTICIPANT_ADDED.wire();
    public static final String PARTICIPANT_REMOVED = EventType.PARTICIPANT_REMOVED.wire();
    public static final String PRESENCE_UPDATED = "presence.updated";
    public static final String REQUEST_UPDATED = "request.updated";

    /** {@code message.reaction}; {@code action} is {@code added} or {@code removed}. */
    public record Reaction(UUID conversationId, UUID messageId, UUID userId, String emoji, String action) {}

    /** {@code request.updated}: the recipient's requests folder, counted as {@code GET /conversations} does. */
    record RequestNotice(UUID conversationId, ConversationView.Requests requests) {}

    /** {@code typing.indicator}. */
    record Typing(UUID conversationId, UUID userId, String username, boolean isTyping) {}

    private EventFrames() {}
}

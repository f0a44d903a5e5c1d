package dev.parley.realtime;

import dev.parley.conversation.ConversationUpdated;
import dev.parley.conversation.ParticipantAdded;
import dev.parley.conversation.ParticipantRemoved;
import dev.parley.message.MessageDeleted;
import dev.parley.message.MessageEdited;
import dev.parley.message.MessageSent;
import dev.parley.message.MessageType;
import dev.parley.message.MessageView;
import dev.parley.presence.PresenceChanged;
import dev.parley.presence.TypingChanged;
import dev.parley.reaction.ReactionAdded;
import dev.parley.reaction.ReactionRemoved;
import dev.parley.receipt.ReceiptUpdated;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Turns the features' events into server frames for the participants' devices, after the change committed: a
 * rolled-back write is never pushed. Writes outside a transaction (a send, an edit) have committed when they
 * publish, so those events go out at once. Delivery is best effort and never fails the write that caused it.
 */
@Component
class EventRelay {

    private static final Logger log = LoggerFactory.getLogger(EventRelay.class);

    record NewMessage(UUID conversationId, MessageView message) {
    }

    record Reaction(UUID conversationId, UUID messageId, UUID userId, String emoji, String action) {
    }

    record Typing(UUID conversationId, UUID userId, String username, boolean isTyping) {
    }

    private final Audience audience;
    private final Fanout fanout;
    private final Frames frames;

    EventRelay(Audience audience, Fanout fanout, Frames frames) {
        this.audience = audience;
        this.fanout = fanout;
        this.frames = frames;
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(MessageSent event) {
        MessageView message = event.message();
        UUID conversation = message.conversationId();
        // System messages describe the conversation itself; everyone in it gets them, whoever made the change.
        relay(Frames.MESSAGE_NEW, new NewMessage(conversation, message), message.type() == MessageType.SYSTEM
                ? () -> audience.of(conversation) : () -> audience.of(conversation, message.senderId()));
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(MessageEdited event) {
        MessageView message = event.message();
        relay(Frames.MESSAGE_UPDATED, new NewMessage(message.conversationId(), message),
                () -> audience.of(message.conversationId(), message.senderId()));
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(MessageDeleted event) {
        relay(Frames.MESSAGE_DELETED, event, () -> audience.of(event.conversationId()));
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(ReactionAdded event) {
        relay(Frames.MESSAGE_REACTION, new Reaction(event.conversationId(), event.messageId(), event.userId(),
                event.emoji(), "added"), () -> audience.of(event.conversationId(), event.userId()));
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(ReactionRemoved event) {
        relay(Frames.MESSAGE_REACTION, new Reaction(event.conversationId(), event.messageId(), event.userId(),
                event.emoji(), "removed"), () -> audience.of(event.conversationId(), event.userId()));
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(TypingChanged event) {
        relay(Frames.TYPING_INDICATOR, new Typing(event.conversationId(), event.userId(), event.username(),
                event.typing()), () -> audience.of(event.conversationId(), event.userId()));
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(ReceiptUpdated event) {
        relay(Frames.RECEIPT_UPDATED, event, () -> audience.of(event.conversationId(), event.userId()));
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(ConversationUpdated event) {
        relay(Frames.CONVERSATION_UPDATED, event, () -> audience.of(event.conversationId()));
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(ParticipantAdded event) {
        audience.membershipChanged(event.conversationId());
        relay(Frames.PARTICIPANT_ADDED, event, () -> audience.of(event.conversationId()));
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(ParticipantRemoved event) {
        audience.membershipChanged(event.conversationId());
        // The removed user hears of it too: it is the last event of the conversation they get.
        relay(Frames.PARTICIPANT_REMOVED, event, () -> {
            Set<UUID> to = new HashSet<>(audience.of(event.conversationId()));
            to.add(event.userId());
            return to;
        });
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(PresenceChanged event) {
        relay(Frames.PRESENCE_UPDATED, event, () -> audience.contactsOf(event.userId()));
    }

    private void relay(String type, Object data, Supplier<Set<UUID>> recipients) {
        try {
            fanout.publish(recipients.get(), frames.event(type, data));
        } catch (RuntimeException e) {
            // Clients recover a missed event by seq; the write that caused it has succeeded and must stay so.
            log.warn("realtime_relay_failed type={}", type, e);
        }
    }
}

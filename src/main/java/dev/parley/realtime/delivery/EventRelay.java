package dev.parley.realtime.delivery;

import dev.parley.conversation.ConversationUpdated;
import dev.parley.conversation.ParticipantAdded;
import dev.parley.conversation.ParticipantRemoved;
import dev.parley.conversation.RequestUpdated;
import dev.parley.message.MessageDeleted;
import dev.parley.message.MessageEdited;
import dev.parley.message.MessageEventData;
import dev.parley.message.MessageImageUpdated;
import dev.parley.message.MessageSent;
import dev.parley.message.MessageType;
import dev.parley.message.MessageView;
import dev.parley.message.MessagesExpired;
import dev.parley.presence.PresenceChanged;
import dev.parley.presence.TypingChanged;
import dev.parley.reaction.ReactionAdded;
import dev.parley.reaction.ReactionRemoved;
import dev.parley.realtime.delivery.EventFrames.Reaction;
import dev.parley.realtime.delivery.EventFrames.RequestNotice;
import dev.parley.realtime.delivery.EventFrames.Typing;
import dev.parley.realtime.gateway.Frames;
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
 * rolled-back write is never pushed. An event published with no transaction open (a send publishes once
 * its transaction has committed) goes out at once. Delivery is best effort and never fails the write that
 * caused it.
 *
 * <p>An event caused by a client's socket frame names that device ({@code origin}); the frame carries it, so the
 * device that has its answer (an ack) is not sent the event too. It travels on the event, not with the thread, so
 * it holds whichever thread a listener runs on.
 */
@Component
class EventRelay {

    private static final Logger log = LoggerFactory.getLogger(EventRelay.class);

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
        relay(
                EventFrames.MESSAGE_NEW,
                new MessageEventData(conversation, message),
                message.type() == MessageType.SYSTEM
                        ? () -> audience.of(conversation)
                        : () -> audience.of(conversation, message.senderId()),
                event.origin());
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(MessageEdited event) {
        updated(event.message());
    }

    /** The same frame as an edit: the contract has one {@code message.updated} for both. */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(MessageImageUpdated event) {
        updated(event.message());
    }

    private void updated(MessageView message) {
        relay(
                EventFrames.MESSAGE_UPDATED,
                new MessageEventData(message.conversationId(), message),
                () -> audience.of(message.conversationId(), message.senderId()),
                null);
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(MessageDeleted event) {
        relay(EventFrames.MESSAGE_DELETED, event, () -> audience.of(event.conversationId()), null);
    }

    /** Disappearing messages whose time ran out: a {@code message.deleted} with {@code expired: true} each. */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(MessagesExpired event) {
        for (MessageDeleted expired : event.messages()) {
            on(expired);
        }
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(ReactionAdded event) {
        relay(
                EventFrames.MESSAGE_REACTION,
                new Reaction(event.conversationId(), event.messageId(), event.userId(), event.emoji(), "added"),
                () -> audience.of(event.conversationId(), event.userId()),
                null);
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(ReactionRemoved event) {
        relay(
                EventFrames.MESSAGE_REACTION,
                new Reaction(event.conversationId(), event.messageId(), event.userId(), event.emoji(), "removed"),
                () -> audience.of(event.conversationId(), event.userId()),
                null);
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(TypingChanged event) {
        relay(
                EventFrames.TYPING_INDICATOR,
                new Typing(event.conversationId(), event.userId(), event.username(), event.typing()),
                () -> audience.of(event.conversationId(), event.userId()),
                event.origin());
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(ReceiptUpdated event) {
        relay(
                EventFrames.RECEIPT_UPDATED,
                event,
                () -> audience.of(event.conversationId(), event.userId()),
                event.origin());
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(ConversationUpdated event) {
        relay(EventFrames.CONVERSATION_UPDATED, event, () -> audience.of(event.conversationId()), null);
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(ParticipantAdded event) {
        audience.membershipChanged(event.conversationId());
        relay(EventFrames.PARTICIPANT_ADDED, event, () -> audience.of(event.conversationId()), null);
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(ParticipantRemoved event) {
        audience.membershipChanged(event.conversationId());
        // The removed user hears of it too: it is the last event of the conversation they get.
        relay(
                EventFrames.PARTICIPANT_REMOVED,
                event,
                () -> {
                    Set<UUID> to = new HashSet<>(audience.of(event.conversationId()));
                    to.add(event.userId());
                    return to;
                },
                null);
    }

    /**
     * To the recipient's own devices only (all of them: the folder changed for each), never to the requester: a
     * request tells its requester nothing. Live only, not logged: the conversation list has the truth on reconnect.
     */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(RequestUpdated event) {
        relay(
                EventFrames.REQUEST_UPDATED,
                new RequestNotice(event.conversationId(), event.requests()),
                () -> Set.of(event.userId()),
                null);
    }

    /** To the user's contacts only, never to their own devices: no origin to skip. */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(PresenceChanged event) {
        relay(EventFrames.PRESENCE_UPDATED, event, () -> audience.contactsOf(event.userId()), null);
    }

    /** {@code origin}: the device id of the socket whose frame caused the event, which skips it; or null. */
    private void relay(String type, Object data, Supplier<Set<UUID>> recipients, String origin) {
        try {
            fanout.publish(recipients.get(), new Frame(type, frames.encode(type, data), origin));
        } catch (RuntimeException e) {
            // Clients recover a missed event by seq; the write that caused it has succeeded and must stay so.
            log.warn("realtime_relay_failed type={}", type, e);
        }
    }
}

package dev.parley.message;

import dev.parley.common.ChatMetrics;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/**
 * Sending a user's message: the one path for REST and WebSocket alike. The request is checked and drafted
 * ({@link MessageDrafts}) before any lock; the store happens in {@link SendTransaction}, through the group commit
 * ({@link SendBatcher}) for text; refusals are explained by {@link SendAdmission}. The stored message is then
 * announced ({@link MessageSent}) once it has committed.
 */
@Service
public class MessageSender {

    private static final Logger log = LoggerFactory.getLogger(MessageSender.class);

    /** A send's outcome: {@code created} is false when a retry returned the message stored earlier. */
    public record SendResult(MessageView message, boolean created) {}

    private final SendAdmission admission;
    private final MessageDrafts drafts;
    private final SendBatcher batcher;
    private final SendTransaction transaction;
    private final MessageViews views;
    private final ApplicationEventPublisher events;
    private final ChatMetrics metrics;

    MessageSender(
            SendAdmission admission,
            MessageDrafts drafts,
            SendBatcher batcher,
            SendTransaction transaction,
            MessageViews views,
            ApplicationEventPublisher events,
            ChatMetrics metrics) {
        this.admission = admission;
        this.drafts = drafts;
        this.batcher = batcher;
        this.transaction = transaction;
        this.views = views;
        this.events = events;
        this.metrics = metrics;
        metrics.registerMessageTypes(MessageType.wireNames());
    }

    /**
     * Stores a message with the conversation's next seq. A repeated {@code client_message_id} returns the stored
     * message instead of storing twice. Throws CONVERSATION_NOT_FOUND, USER_BLOCKED, VALIDATION_FAILED,
     * MESSAGE_TOO_LONG, ATTACHMENT_NOT_FOUND, INVALID_ATTACHMENT, CONFLICT (attachment already sent),
     * RATE_LIMIT_EXCEEDED.
     */
    public SendResult send(UUID sender, UUID conversationId, SendMessageRequest request) {
        return send(sender, conversationId, request, null);
    }

    /**
     * As {@link #send(UUID, UUID, SendMessageRequest)}, for a send from a device's socket: {@code origin} (its
     * device id) goes on the {@link MessageSent} event, so that device gets its answer and no echo of the message.
     */
    public SendResult send(UUID sender, UUID conversationId, SendMessageRequest request, String origin) {
        long started = System.nanoTime();
        // First, before any work, for text and image alike: the limit protects the server as well as the room.
        Optional<SendResult> retried = admission.takeAllowance(sender, conversationId, request.clientMessageId());
        if (retried.isPresent()) {
            return retried.get();
        }
        // The request's type is validated (text or image) before it gets here.
        return MessageType.of(request.type()) == MessageType.IMAGE
                ? sendImage(sender, conversationId, request, origin, started)
                : sendText(sender, conversationId, request, origin, started);
    }

    /** The usual case is one statement; membership, blocks and the idempotency key are judged inside it. */
    private SendResult sendText(
            UUID sender, UUID conversationId, SendMessageRequest request, String origin, long started) {
        MessageDrafts.Draft draft = drafts.text(sender, conversationId, request);
        var stored = batcher.store(draft.message());
        if (stored.isEmpty()) {
            return admission.refused(sender, conversationId, request.clientMessageId());
        }
        return announce(view(draft, stored.get()), origin, started);
    }

    /**
     * An image message: the attachment is used once, claimed in the send's transaction. Image sends skip the
     * group commit for that reason; they are a small share of traffic.
     */
    private SendResult sendImage(
            UUID sender, UUID conversationId, SendMessageRequest request, String origin, long started) {
        MessageDrafts.ImageDraft image = drafts.image(sender, conversationId, request);
        if (image.image().messageId() != null) {
            return admission
                    .earlierSend(conversationId, sender, request.clientMessageId())
                    .orElseThrow(SendTransaction::attachmentTaken);
        }
        var stored =
                transaction.storeClaiming(image.draft().message(), image.image().attachmentId());
        if (stored.isEmpty()) {
            return admission.refused(sender, conversationId, request.clientMessageId());
        }
        return announce(views.justStored(view(image.draft(), stored.get())), origin, started);
    }

    private static MessageView view(MessageDrafts.Draft draft, MessageRepository.Stored stored) {
        MessageRepository.NewMessage message = draft.message();
        return MessageView.builder()
                .messageId(message.messageId())
                .conversationId(message.conversationId())
                .seq(stored.seq())
                .sender(stored.sender())
                .type(message.type())
                .content(message.content())
                .metadata(draft.metadata())
                .replyTo(draft.reply())
                .createdAt(stored.createdAt())
                .expiresAt(stored.expiresAt())
                .build();
    }

    private SendResult announce(MessageView view, String origin, long started) {
        events.publishEvent(new MessageSent(view, origin));
        metrics.messageSent(view.type().wire());
        metrics.recordSend(Duration.ofNanos(System.nanoTime() - started));
        if (log.isDebugEnabled()) {
            // Guarded: five arguments are an array and a boxed seq per message, even with the level off.
            log.debug(
                    "message_sent message_id={} conversation_id={} seq={} sender_id={} type={}",
                    view.messageId(),
                    view.conversationId(),
                    view.seq(),
                    view.senderId(),
                    view.type());
        }
        return new SendResult(view, true);
    }
}

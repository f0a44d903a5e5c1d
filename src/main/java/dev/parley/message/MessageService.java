package dev.parley.message;

import dev.parley.attachment.AttachmentService;
import dev.parley.attachment.ImageAttachment;
import dev.parley.common.ChatMetrics;
import dev.parley.common.ErrorCode;
import dev.parley.common.Ids;
import dev.parley.common.ParleyException;
import dev.parley.common.Text;
import dev.parley.membership.Membership;
import dev.parley.membership.MembershipService;
import dev.parley.moderation.RateLimit;
import dev.parley.moderation.RateLimiter;
import dev.parley.user.UserView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Sending, reading, editing and deleting messages; the one path for REST and WebSocket alike. */
@Service
public class MessageService implements SystemMessages, MessagePreviews {

    public static final int DEFAULT_PAGE = 50;
    public static final int MAX_PAGE = 100;
    private static final Logger log = LoggerFactory.getLogger(MessageService.class);

    /** A send's outcome: {@code created} is false when a retry returned the message stored earlier. */
    public record SendResult(MessageView message, boolean created) {
    }

    private final MessageRepository messages;
    private final SendBatcher batcher;
    private final MembershipService access;
    private final ReactionSummaries reactions;
    private final ChatMetrics metrics;
    private final RateLimiter limiter;
    private final org.springframework.context.ApplicationEventPublisher events;
    private final JsonMapper json;
    private final Clock clock;
    private final int maxContentLength;
    private final AttachmentService attachments;
    private final ImageMetadataMerge images;
    private final org.springframework.transaction.support.TransactionTemplate transactions;

    MessageService(MessageRepository messages, SendBatcher batcher, MembershipService access,
            ReactionSummaries reactions, ChatMetrics metrics, RateLimiter limiter,
            org.springframework.context.ApplicationEventPublisher events, JsonMapper json, Clock clock,
            MessageProperties properties, AttachmentService attachments, ImageMetadataMerge images,
            org.springframework.transaction.support.TransactionTemplate transactions) {
        this.attachments = attachments;
        this.images = images;
        this.transactions = transactions;
        this.events = events;
        this.limiter = limiter;
        this.messages = messages;
        this.batcher = batcher;
        this.access = access;
        this.reactions = reactions;
        this.metrics = metrics;
        this.json = json;
        this.clock = clock;
        this.maxContentLength = properties.maxContentLength();
    }

    /**
     * Stores a message with the conversation's next seq. A repeated {@code client_message_id} returns the stored
     * message instead of storing twice. Throws CONVERSATION_NOT_FOUND, USER_BLOCKED, VALIDATION_FAILED,
     * MESSAGE_TOO_LONG, ATTACHMENT_NOT_FOUND, INVALID_ATTACHMENT, CONFLICT (attachment already sent),
     * RATE_LIMIT_EXCEEDED.
     */
    public SendResult send(UUID sender, UUID conversationId, SendMessageRequest request) {
        long started = System.nanoTime();
        // First, before any work, for text and image alike: the limit protects the server as well as the room.
        Optional<SendResult> retried = takeAllowance(sender, conversationId, request.clientMessageId());
        if (retried.isPresent()) {
            return retried.get();
        }
        if ("image".equals(request.type())) {
            return sendImage(sender, conversationId, request, started);
        }
        String content = validContent(request.content());
        MessageView.ReplyPreview reply = null;
        if (request.replyTo() != null) {
            // Membership first, so the reply target's existence is never revealed to an outsider.
            access.requireMember(conversationId, sender);
            reply = replyPreview(conversationId, request.replyTo());
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        UUID id = Ids.uuidV7(now.toEpochMilli());
        ObjectNode metadata = TextMetadata.of(json, content);
        // The usual case is this one statement; membership, blocks and the idempotency key are judged inside it.
        var stored = batcher.store(new MessageRepository.NewMessage(id, conversationId, sender, "text", content,
                json.writeValueAsString(metadata), request.replyTo(), request.clientMessageId(), now));
        if (stored.isEmpty()) {
            return refused(sender, conversationId, request.clientMessageId());
        }
        MessageView view = new MessageView(id, conversationId, stored.get().seq(), sender, stored.get().sender(),
                "text", content, metadata, reply, List.of(), List.of(), false, null, false, stored.get().createdAt());
        events.publishEvent(new MessageSent(view));
        metrics.messageSent("text");
        metrics.recordSend(Duration.ofNanos(System.nanoTime() - started));
        log.debug("message_sent message_id={} conversation_id={} seq={} sender_id={}", id, conversationId,
                view.seq(), sender);
        return new SendResult(view, true);
    }

    /**
     * An image message: the caption is optional, the attachment must be the sender's own completed upload and is
     * used once. The message and the attachment's claim commit together, so a refused send leaves the
     * attachment free, and two sends racing for one attachment store one message. Image sends skip the batcher
     * for that reason; they are a small share of traffic.
     */
    private SendResult sendImage(UUID sender, UUID conversationId, SendMessageRequest request, long started) {
        access.requireMember(conversationId, sender);
        if (request.attachmentId() == null) {
            throw ParleyException.validation("attachment_id", "attachment_id is required for image messages");
        }
        String caption = request.content() == null || request.content().isBlank() ? null
                : validContent(request.content());
        MessageView.ReplyPreview reply = request.replyTo() == null ? null
                : replyPreview(conversationId, request.replyTo());
        ImageAttachment image = attachments.requireSendable(sender, request.attachmentId());
        if (image.messageId() != null) {
            return earlierSend(conversationId, sender, request.clientMessageId()).orElseThrow(() ->
                    new ParleyException(ErrorCode.CONFLICT, "This attachment was sent already; upload it again"));
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        UUID id = Ids.uuidV7(now.toEpochMilli());
        ObjectNode metadata = caption == null ? json.createObjectNode() : TextMetadata.of(json, caption);
        metadata.put("attachment_id", image.attachmentId().toString());
        var message = new MessageRepository.NewMessage(id, conversationId, sender, "image", caption,
                json.writeValueAsString(metadata), request.replyTo(), request.clientMessageId(), now);
        boolean[] claimLost = {false};
        MessageRepository.Stored stored = transactions.execute(status -> {
            MessageRepository.Stored row = messages.insertBatch(List.of(message)).get(id);
            if (row != null && !attachments.claim(image.attachmentId(), sender, id, conversationId)) {
                // Taken by another send, or refused or removed meanwhile: this message must not exist.
                status.setRollbackOnly();
                claimLost[0] = true;
                return null;
            }
            return row;
        });
        if (claimLost[0]) {
            // The attachment's own error if it is no longer sendable; otherwise another send has it.
            attachments.requireSendable(sender, image.attachmentId());
            throw new ParleyException(ErrorCode.CONFLICT, "This attachment was sent already; upload it again");
        }
        if (stored == null) {
            return refused(sender, conversationId, request.clientMessageId());
        }
        MessageView view = images.merge(List.of(new MessageView(id, conversationId, stored.seq(), sender,
                stored.sender(), "image", caption, metadata, reply, List.of(), List.of(), false, null, false,
                stored.createdAt()))).getFirst();
        events.publishEvent(new MessageSent(view));
        metrics.messageSent("image");
        metrics.recordSend(Duration.ofNanos(System.nanoTime() - started));
        log.debug("message_sent message_id={} conversation_id={} seq={} sender_id={} attachment_id={}", id,
                conversationId, view.seq(), sender, image.attachmentId());
        return new SendResult(view, true);
    }

    /**
     * Why a send was not stored: the sender is not a participant (404), a block stands between the two sides of
     * a direct conversation (403, unless this is a retry of a message stored before the block), or the key was
     * used before (the original message, 200). Throws CONVERSATION_NOT_FOUND, USER_BLOCKED.
     */
    private SendResult refused(UUID sender, UUID conversationId, String clientMessageId) {
        Membership membership = access.requireMember(conversationId, sender);
        Optional<SendResult> earlier = earlierSend(conversationId, sender, clientMessageId);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        if (membership.blocked()) {
            throw new ParleyException(ErrorCode.USER_BLOCKED, "You cannot message this user");
        }
        // Left the conversation between the statement and this check.
        throw ParleyException.conversationNotFound();
    }

    /**
     * Takes one unit of the sender's message allowance. Over the limit, a retry of a message already stored (same
     * {@code client_message_id}, say after a lost ack) still gets it back: refusing would make the client believe
     * it was never sent. The lookup runs only on refusal, so the usual send stays one statement; the price is that
     * a retry within the limit costs a unit like any send. Throws RATE_LIMIT_EXCEEDED, CONVERSATION_NOT_FOUND.
     */
    private Optional<SendResult> takeAllowance(UUID sender, UUID conversationId, String clientMessageId) {
        try {
            limiter.acquire(sender, RateLimit.MESSAGE);
            return Optional.empty();
        } catch (ParleyException limited) {
            Optional<SendResult> earlier = earlierSend(conversationId, sender, clientMessageId);
            if (earlier.isEmpty()) {
                throw limited;
            }
            // As without a limit: a former participant's retry is answered 404, not with the message.
            access.requireMember(conversationId, sender);
            return earlier;
        }
    }

    @Override
    public MessageView post(UUID conversationId, UserView actor, String content, Map<String, Object> metadata) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        UUID id = Ids.uuidV7(now.toEpochMilli());
        ObjectNode meta = json.valueToTree(metadata);
        var stored = messages.insertSystem(id, conversationId, actor.userId(), content, json.writeValueAsString(meta),
                now);
        metrics.messageSent("system");
        MessageView view = new MessageView(id, conversationId, stored.seq(), actor.userId(), actor, "system", content,
                meta, null, List.of(), List.of(), false, null, false, stored.createdAt());
        events.publishEvent(new MessageSent(view));
        return view;
    }

    @Override
    public Map<UUID, MessageView> previews(List<PreviewKey> keys, UUID viewer) {
        if (keys.isEmpty()) {
            return Map.of();
        }
        List<MessageView> found = messages.views(keys.stream().map(PreviewKey::messageId).toList(),
                keys.stream().map(PreviewKey::createdAt).distinct().toList());
        Map<UUID, MessageView> out = new java.util.HashMap<>();
        for (MessageView view : forViewer(found, viewer)) {
            out.put(view.messageId(), view);
        }
        return out;
    }

    /** Throws MESSAGE_NOT_FOUND. */
    public MessageView get(UUID viewer, UUID messageId) {
        messages.positionFor(messageId, viewer).orElseThrow(ParleyException::messageNotFound);
        return forViewer(List.of(messages.view(messageId).orElseThrow(ParleyException::messageNotFound)), viewer)
                .getFirst();
    }

    /**
     * A page of history: newest first before {@code beforeId} (or from the newest), oldest first after
     * {@code afterId}. Throws CONVERSATION_NOT_FOUND, MESSAGE_NOT_FOUND (cursor not in this conversation),
     * VALIDATION_FAILED.
     */
    public MessagePage history(UUID viewer, UUID conversationId, UUID beforeId, UUID afterId, Integer limit) {
        access.requireMember(conversationId, viewer);
        if (beforeId != null && afterId != null) {
            throw ParleyException.validation("before_id", "Give before_id or after_id, not both");
        }
        int size = pageSize(limit);
        List<MessageView> page;
        if (afterId != null) {
            var from = cursor(conversationId, afterId);
            page = messages.pageAfter(conversationId, from.seq(), from.createdAt(), size + 1);
        } else if (beforeId != null) {
            var from = cursor(conversationId, beforeId);
            page = messages.pageBefore(conversationId, from.seq(), from.createdAt(), size + 1);
        } else {
            page = messages.pageBefore(conversationId, null, null, size + 1);
        }
        boolean more = page.size() > size;
        List<MessageView> shown = more ? page.subList(0, size) : page;
        return new MessagePage(forViewer(shown, viewer), more, null);
    }

    /**
     * Throws MESSAGE_NOT_FOUND, FORBIDDEN (not the sender, not text), CONFLICT (deleted), MESSAGE_TOO_LONG.
     * Transactional so that the catch-up log records the edit in the same commit.
     */
    @org.springframework.transaction.annotation.Transactional
    public MessageView edit(UUID caller, UUID messageId, EditMessageRequest request) {
        var at = messages.positionFor(messageId, caller).orElseThrow(ParleyException::messageNotFound);
        if (!at.senderId().equals(caller) || "system".equals(at.type())) {
            throw ParleyException.forbidden("Only the sender can edit a message");
        }
        if (!"text".equals(at.type())) {
            throw ParleyException.forbidden("Only text messages can be edited");
        }
        if (at.deleted()) {
            throw new ParleyException(ErrorCode.CONFLICT, "The message was deleted");
        }
        String content = validContent(request.content());
        String metadata = json.writeValueAsString(TextMetadata.of(json, content));
        messages.edit(at, caller, content, metadata, clock.instant().truncatedTo(ChronoUnit.MILLIS))
                .orElseThrow(() -> new ParleyException(ErrorCode.CONFLICT, "The message was deleted"));
        MessageView edited = get(caller, messageId);
        events.publishEvent(new MessageEdited(edited.withReactions(List.of())));
        return edited;
    }

    /**
     * Leaves a tombstone in history. Allowed to the sender, and to a group's admins and owner for others'
     * messages. Deleting a deleted message is a no-op. Throws MESSAGE_NOT_FOUND, FORBIDDEN. Transactional so
     * that the catch-up log records the tombstone in the same commit.
     */
    @org.springframework.transaction.annotation.Transactional
    public void delete(UUID caller, UUID messageId) {
        var at = messages.positionFor(messageId, caller).orElseThrow(ParleyException::messageNotFound);
        if ("system".equals(at.type())) {
            throw ParleyException.forbidden("System messages record the group's history and cannot be deleted");
        }
        boolean own = at.senderId().equals(caller);
        if (!own && !access.requireMember(at.conversationId(), caller).canModerate()) {
            throw ParleyException.forbidden("Only the sender or a group admin can delete this message");
        }
        if (at.deleted()) {
            return;
        }
        if (messages.markDeleted(at, caller, clock.instant().truncatedTo(ChronoUnit.MILLIS))) {
            if ("image".equals(at.type())) {
                attachments.forgetMessage(messageId);
            }
            events.publishEvent(new MessageDeleted(at.conversationId(), messageId, at.seq(), at.senderId(), caller));
        }
    }

    /** Where a message the caller may see sits. Throws MESSAGE_NOT_FOUND. */
    public MessageRef locate(UUID viewer, UUID messageId) {
        var at = messages.positionFor(messageId, viewer).orElseThrow(ParleyException::messageNotFound);
        return new MessageRef(at.messageId(), at.conversationId(), at.seq(), at.senderId(), at.type(), at.deleted(),
                at.createdAt());
    }

    private Optional<SendResult> earlierSend(UUID conversationId, UUID sender, String clientMessageId) {
        if (clientMessageId == null) {
            return Optional.empty();
        }
        return messages.idempotentMatch(conversationId, sender, clientMessageId)
                .flatMap(messages::view)
                .map(view -> new SendResult(forViewer(List.of(view), sender).getFirst(), false));
    }

    private MessageView.ReplyPreview replyPreview(UUID conversationId, UUID replyTo) {
        var target = messages.positionIn(conversationId, replyTo)
                .orElseThrow(() -> ParleyException.validation("reply_to", "reply_to must name a message of this conversation"));
        MessageView view = messages.view(target.messageId()).orElseThrow(ParleyException::messageNotFound);
        String preview = view.content() == null ? null
                : view.content().substring(0, Math.min(view.content().length(), 140));
        return new MessageView.ReplyPreview(target.messageId(), target.senderId(), preview);
    }

    private MessageRepository.Position cursor(UUID conversationId, UUID messageId) {
        return messages.positionIn(conversationId, messageId).orElseThrow(ParleyException::messageNotFound);
    }

    private String validContent(String content) {
        if (content == null || content.isBlank()) {
            throw ParleyException.validation("content", "content must not be blank");
        }
        Text.requireStorable("content", content);
        int length = Text.codePoints(content);
        if (length > maxContentLength) {
            throw new ParleyException(ErrorCode.MESSAGE_TOO_LONG,
                    "content has " + length + " characters; the limit is " + maxContentLength,
                    Map.of("field", "content", "limit", maxContentLength, "length", length));
        }
        return content;
    }

    /** The page size a client asked for, or the default. Throws VALIDATION_FAILED. */
    static int pageSize(Integer limit) {
        if (limit == null) {
            return DEFAULT_PAGE;
        }
        if (limit < 1 || limit > MAX_PAGE) {
            throw ParleyException.validation("limit", "limit must be between 1 and " + MAX_PAGE);
        }
        return limit;
    }

    /**
     * Everything a page of messages needs for this viewer: their reactions, and for image messages fresh signed
     * URLs (the caller has checked the viewer may see them).
     */
    private List<MessageView> forViewer(List<MessageView> stored, UUID viewer) {
        if (stored.isEmpty()) {
            return stored;
        }
        List<MessageView> page = images.merge(stored);
        var summaries = reactions.forMessages(page.stream().map(MessageView::messageId).toList(), viewer);
        if (summaries.isEmpty()) {
            return page;
        }
        List<MessageView> out = new ArrayList<>(page.size());
        for (MessageView view : page) {
            var found = summaries.get(view.messageId());
            out.add(found == null || view.isDeleted() ? view : view.withReactions(found));
        }
        return out;
    }
}

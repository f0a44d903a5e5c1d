package dev.parley.message;

import dev.parley.common.ParleyException;
import dev.parley.common.ReadSource;
import dev.parley.membership.MembershipService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;

/** Reading messages: one by id, pages of history, previews for other features' lists, and where one sits. */
@Service
public class MessageReader implements MessagePreviews {

    public static final int DEFAULT_PAGE = 50;
    public static final int MAX_PAGE = 100;

    /** Replies show this much of the message replied to. */
    private static final int REPLY_PREVIEW = 140;

    private final MessageRepository messages;
    private final MembershipService access;
    private final MessageViews views;
    private final ReadSource reads;

    MessageReader(MessageRepository messages, MembershipService access, MessageViews views, ReadSource reads) {
        this.messages = messages;
        this.access = access;
        this.views = views;
        this.reads = reads;
    }

    @Override
    public Map<UUID, MessageView> previews(List<PreviewKey> keys, UUID viewer) {
        if (keys.isEmpty()) {
            return Map.of();
        }
        List<MessageView> found = messages.views(
                keys.stream().map(PreviewKey::messageId).toList(),
                keys.stream().map(PreviewKey::createdAt).toList());
        Map<UUID, MessageView> out = new HashMap<>();
        for (MessageView view : views.forViewer(found, viewer)) {
            out.put(view.messageId(), view);
        }
        return out;
    }

    /** Throws MESSAGE_NOT_FOUND. */
    public MessageView get(UUID viewer, UUID messageId) {
        messages.positionFor(messageId, viewer).orElseThrow(ParleyException::messageNotFound);
        return views.forViewer(messages.view(messageId).orElseThrow(ParleyException::messageNotFound), viewer);
    }

    /**
     * A page of history: newest first before {@code beforeId} (or from the newest), oldest first after
     * {@code afterId}. Throws CONVERSATION_NOT_FOUND, MESSAGE_NOT_FOUND (cursor not in this conversation),
     * VALIDATION_FAILED. A replica may serve it ({@link ReadSource}).
     */
    public MessagePage history(UUID viewer, UUID conversationId, UUID beforeId, UUID afterId, Integer limit) {
        if (beforeId != null && afterId != null) {
            throw ParleyException.validation("before_id", "Give before_id or after_id, not both");
        }
        int size = pageSize(limit);
        return reads.read(viewer, () -> historyPage(viewer, conversationId, beforeId, afterId, size));
    }

    private MessagePage historyPage(UUID viewer, UUID conversationId, UUID beforeId, UUID afterId, int size) {
        access.requireReader(conversationId, viewer);
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
        return new MessagePage(views.forViewer(shown, viewer), more, null);
    }

    /** Where a message the caller may see sits. Throws MESSAGE_NOT_FOUND. */
    public MessageRef locate(UUID viewer, UUID messageId) {
        var at = messages.positionFor(messageId, viewer).orElseThrow(ParleyException::messageNotFound);
        return new MessageRef(
                at.messageId(), at.conversationId(), at.seq(), at.senderId(), at.type(), at.deleted(), at.createdAt());
    }

    /**
     * A message and up to {@code each} messages before and after it in its conversation, oldest first, as
     * {@code viewer} would see them; no membership check: for administration, whose caller checked the role.
     * Empty when the message does not exist.
     */
    public List<MessageView> around(UUID viewer, UUID messageId, int each) {
        var at = messages.position(messageId);
        if (at.isEmpty()) {
            return List.of();
        }
        var p = at.get();
        List<MessageView> page = new ArrayList<>(messages.pageBefore(p.conversationId(), p.seq(), p.createdAt(), each)
                .reversed());
        messages.view(messageId).ifPresent(page::add);
        page.addAll(messages.pageAfter(p.conversationId(), p.seq(), p.createdAt(), each));
        return views.forViewer(page, viewer);
    }

    /** The message a sender stored earlier under this {@code client_message_id}, as the sender sees it now. */
    Optional<MessageView> earlierSend(UUID conversationId, UUID sender, String clientMessageId) {
        if (clientMessageId == null) {
            return Optional.empty();
        }
        return messages.idempotentMatch(conversationId, sender, clientMessageId)
                .flatMap(messages::view)
                .map(view -> views.forViewer(view, sender));
    }

    /** {@code reply_to} of a new message. Throws VALIDATION_FAILED (not a message of this conversation). */
    MessageView.ReplyPreview replyPreview(UUID conversationId, UUID replyTo) {
        var target = messages.positionIn(conversationId, replyTo)
                .orElseThrow(() ->
                        ParleyException.validation("reply_to", "reply_to must name a message of this conversation"));
        MessageView view = messages.view(target.messageId()).orElseThrow(ParleyException::messageNotFound);
        String preview = view.content() == null
                ? null
                : view.content().substring(0, Math.min(view.content().length(), REPLY_PREVIEW));
        return new MessageView.ReplyPreview(target.messageId(), target.senderId(), preview);
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

    private MessageRepository.Position cursor(UUID conversationId, UUID messageId) {
        return messages.positionIn(conversationId, messageId).orElseThrow(ParleyException::messageNotFound);
    }
}

package dev.parley.message;

import dev.parley.attachment.AttachmentService;
import dev.parley.attachment.ImageAttachment;
import dev.parley.common.ErrorCode;
import dev.parley.common.Ids;
import dev.parley.common.ParleyException;
import dev.parley.common.Text;
import dev.parley.membership.MembershipService;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns a client's send request into a message ready to store: the content checked, the metadata found, the
 * reply's preview, the id and time. Everything here is judged before the send's transaction, so that a bad
 * request costs no lock.
 */
@Component
class MessageDrafts {

    /** A message ready to store, with what its view needs besides the stored row. */
    record Draft(MessageRepository.NewMessage message, ObjectNode metadata, MessageView.ReplyPreview reply) {}

    /** An image message ready to store, and the attachment it will claim. */
    record ImageDraft(Draft draft, ImageAttachment image) {}

    private final MessageReader reader;
    private final MembershipService access;
    private final AttachmentService attachments;
    private final JsonMapper json;
    private final Clock clock;
    private final int maxContentLength;

    MessageDrafts(
            MessageReader reader,
            MembershipService access,
            AttachmentService attachments,
            JsonMapper json,
            Clock clock,
            MessageProperties properties) {
        this.reader = reader;
        this.access = access;
        this.attachments = attachments;
        this.json = json;
        this.clock = clock;
        this.maxContentLength = properties.maxContentLength();
    }

    /**
     * A text message. Membership is checked here only for a reply, first, so that the reply target's existence is
     * never revealed to an outsider; otherwise the send statement judges it. Throws VALIDATION_FAILED,
     * MESSAGE_TOO_LONG, CONVERSATION_NOT_FOUND.
     */
    Draft text(UUID sender, UUID conversationId, SendMessageRequest request) {
        String content = validContent(request.content());
        MessageView.ReplyPreview reply = null;
        if (request.replyTo() != null) {
            access.requireMember(conversationId, sender);
            reply = reader.replyPreview(conversationId, request.replyTo());
        }
        return draft(sender, conversationId, MessageType.TEXT, content, metadata(content), request, reply);
    }

    /**
     * An image message: the caption is optional, the attachment must be the sender's own completed upload.
     * Throws CONVERSATION_NOT_FOUND, VALIDATION_FAILED, MESSAGE_TOO_LONG, ATTACHMENT_NOT_FOUND, INVALID_ATTACHMENT.
     */
    ImageDraft image(UUID sender, UUID conversationId, SendMessageRequest request) {
        access.requireMember(conversationId, sender);
        if (request.attachmentId() == null) {
            throw ParleyException.validation("attachment_id", "attachment_id is required for image messages");
        }
        String caption =
                request.content() == null || request.content().isBlank() ? null : validContent(request.content());
        MessageView.ReplyPreview reply =
                request.replyTo() == null ? null : reader.replyPreview(conversationId, request.replyTo());
        ImageAttachment image = attachments.requireSendable(sender, request.attachmentId());
        // No attachment_id here: the attachment's row links the two once the send claims it, and reads build the
        // image metadata from that row.
        ObjectNode metadata = caption == null ? json.createObjectNode() : TextMetadata.of(json, caption);
        return new ImageDraft(
                draft(sender, conversationId, MessageType.IMAGE, caption, metadata, request, reply), image);
    }

    /** The metadata of a text: the mentions and links it contains. */
    ObjectNode metadata(String content) {
        return TextMetadata.of(json, content);
    }

    /** Throws VALIDATION_FAILED (blank, not storable), MESSAGE_TOO_LONG. */
    String validContent(String content) {
        if (content == null || content.isBlank()) {
            throw ParleyException.validation("content", "content must not be blank");
        }
        Text.requireStorable("content", content);
        int length = Text.codePoints(content);
        if (length > maxContentLength) {
            throw new ParleyException(
                    ErrorCode.MESSAGE_TOO_LONG,
                    "content has " + length + " characters; the limit is " + maxContentLength,
                    Map.of("field", "content", "limit", maxContentLength, "length", length));
        }
        return content;
    }

    /** Now, to the millisecond the database keeps. */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private Draft draft(
            UUID sender,
            UUID conversationId,
            MessageType type,
            String content,
            ObjectNode metadata,
            SendMessageRequest request,
            MessageView.ReplyPreview reply) {
        Instant now = now();
        UUID id = Ids.uuidV7(now.toEpochMilli());
        var message = new MessageRepository.NewMessage(
                id,
                conversationId,
                sender,
                type,
                content,
                json.writeValueAsString(metadata),
                request.replyTo(),
                request.clientMessageId(),
                now);
        return new Draft(message, metadata, reply);
    }
}

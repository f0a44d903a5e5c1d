package dev.parley.message;

import dev.parley.attachment.AttachmentService;
import dev.parley.attachment.ImageAttachment;
import dev.parley.common.ErrorCode;
import dev.parley.common.Ids;
import dev.parley.common.ParleyException;
import dev.parley.common.Text;
import dev.parley.encryption.ConversationEncryption;
import dev.parley.membership.MembershipService;
import dev.parley.screening.ContentScreen;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
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

    /** A message's content as it will be stored, and its metadata. */
    record Body(String content, ObjectNode metadata, boolean encrypted) {}

    /** The largest {@code metadata.e2ee} (serialised) an encrypted message may carry. */
    static final int MAX_E2EE_HEADER_LENGTH = 4096;

    /** An image message ready to store, and the attachment it will claim. */
    record ImageDraft(Draft draft, ImageAttachment image) {}

    private final MessageReader reader;
    private final MembershipService access;
    private final AttachmentService attachments;
    private final ContentScreen screen;
    private final JsonMapper json;
    private final ConversationEncryption encryption;
    private final Clock clock;
    private final int maxContentLength;

    MessageDrafts(
            MessageReader reader,
            MembershipService access,
            AttachmentService attachments,
            ContentScreen screen,
            JsonMapper json,
            Clock clock,
            MessageProperties properties,
            ConversationEncryption encryption) {
        this.encryption = encryption;
        this.reader = reader;
        this.access = access;
        this.attachments = attachments;
        this.screen = screen;
        this.json = json;
        this.clock = clock;
        this.maxContentLength = properties.maxContentLength();
    }

    /**
     * A text message. Membership is checked here only for a reply, first, so that the reply target's existence is
     * never revealed to an outsider, and when a moderation hook would see the text; otherwise the send statement
     * judges it. Throws VALIDATION_FAILED, MESSAGE_TOO_LONG, CONVERSATION_NOT_FOUND, CONTENT_REJECTED.
     */
    Draft text(UUID sender, UUID conversationId, SendMessageRequest request) {
        Body body = body(conversationId, request.content(), request.metadata());
        MessageView.ReplyPreview reply = null;
        if (request.replyTo() != null || screen.hookEnabled()) {
            access.requireMember(conversationId, sender);
        }
        if (request.replyTo() != null) {
            reply = reader.replyPreview(conversationId, request.replyTo());
        }
        if (body.encrypted()) {
            // Opaque ciphertext: content rules and the hook cannot read it (the contract: they do not apply).
            return draft(sender, conversationId, MessageType.TEXT, body.content(), body.metadata(), request, reply);
        }
        String content = screened(sender, conversationId, body.content(), false);
        // The body's metadata was found in this very text unless moderation changed it (two regex scans each).
        ObjectNode metadata = body.content().equals(content) ? body.metadata() : metadata(content);
        return draft(sender, conversationId, MessageType.TEXT, content, metadata, request, reply);
    }

    /**
     * An image message: the caption is optional, the attachment must be the sender's own completed upload.
     * Throws CONVERSATION_NOT_FOUND, VALIDATION_FAILED, MESSAGE_TOO_LONG, ATTACHMENT_NOT_FOUND, INVALID_ATTACHMENT,
     * CONTENT_REJECTED.
     */
    ImageDraft image(UUID sender, UUID conversationId, SendMessageRequest request) {
        access.requireMember(conversationId, sender);
        if (encryption.isEncrypted(conversationId)) {
            // The server would have to read the image to check and scale it; encrypted clients send their files
            // encrypted, as text messages carrying the key, or not at all.
            throw ParleyException.validation(
                    "type", "Image messages are not available in an end-to-end " + "encrypted conversation");
        }
        if (request.attachmentId() == null) {
            throw ParleyException.validation("attachment_id", "attachment_id is required for image messages");
        }
        String caption =
                request.content() == null || request.content().isBlank() ? null : validContent(request.content());
        caption = screened(sender, conversationId, caption, false);
        MessageView.ReplyPreview reply =
                request.replyTo() == null ? null : reader.replyPreview(conversationId, request.replyTo());
        ImageAttachment image = attachments.requireSendable(sender, request.attachmentId());
        // No attachment_id here: the attachment's row links the two once the send claims it, and reads build the
        // image metadata from that row.
        ObjectNode metadata = caption == null ? json.createObjectNode() : TextMetadata.of(json, caption);
        return new ImageDraft(
                draft(sender, conversationId, MessageType.IMAGE, caption, metadata, request, reply), image);
    }

    /**
     * A text's content and metadata. In an end-to-end encrypted conversation the content is opaque base64
     * ciphertext, stored exactly as sent, with the client's own {@code metadata.e2ee} headers and nothing read from
     * the content (no length in characters, no mentions or links, no content rules); elsewhere it is checked text.
     * Throws VALIDATION_FAILED, MESSAGE_TOO_LONG.
     */
    Body body(UUID conversationId, String content, JsonNode clientMetadata) {
        if (!encryption.isEncrypted(conversationId)) {
            String text = validContent(content);
            return new Body(text, metadata(text), false);
        }
        String ciphertext = encryption.requireCiphertext(content);
        ObjectNode metadata = json.createObjectNode();
        JsonNode headers = clientMetadata == null ? null : clientMetadata.get("e2ee");
        if (headers != null && !headers.isNull()) {
            if (!headers.isObject() || json.writeValueAsString(headers).length() > MAX_E2EE_HEADER_LENGTH) {
                throw ParleyException.validation(
                        "metadata.e2ee",
                        "metadata.e2ee must be an object of at most " + MAX_E2EE_HEADER_LENGTH + " characters");
            }
            metadata.set("e2ee", headers);
        }
        return new Body(ciphertext, metadata, true);
    }

    /** The metadata of a text: the mentions and links it contains. */
    ObjectNode metadata(String content) {
        return TextMetadata.of(json, content);
    }

    /**
     * The text as moderation lets it be stored (content rules, then the hook; null for an image without caption):
     * masked or replaced text is checked again like the client's. Throws CONTENT_REJECTED, MESSAGE_TOO_LONG.
     */
    String screened(UUID sender, UUID conversationId, String content, boolean edit) {
        String checked = screen.message(sender, conversationId, content, edit);
        return checked == null || checked.equals(content) ? checked : validContent(checked);
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

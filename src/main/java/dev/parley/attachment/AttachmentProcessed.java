package dev.parley.attachment;

import java.util.UUID;

/**
 * Published inside the transaction that finished an attachment's processing (or its failure). When the
 * attachment is already part of a message, the message feature tells the conversation through
 * {@code message.updated}.
 */
public record AttachmentProcessed(UUID attachmentId, UUID messageId) {
}

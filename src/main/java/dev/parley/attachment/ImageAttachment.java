package dev.parley.attachment;

import java.util.UUID;

/**
 * An uploaded image as a message may use it: its owner completed the upload and the bytes passed the checks.
 * {@code messageId} is set once a message uses it (an attachment is used once).
 */
public record ImageAttachment(UUID attachmentId, UUID messageId) {}

package dev.parley.attachment;

import java.util.List;
import java.util.UUID;

/**
 * Published inside the transaction that refused an image on image moderation's word: its objects are gone and it
 * reads {@code rejected}. {@code messageId} and {@code conversationId} are null while no message uses it;
 * {@code labels} are what the provider found (names only). The report feature files the system's report from it.
 */
public record AttachmentRejected(
        UUID attachmentId, UUID uploaderId, UUID messageId, UUID conversationId, List<String> labels) {}

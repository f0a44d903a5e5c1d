package dev.parley.message;

import java.util.UUID;

/** Published after a message became a tombstone; {@code seq} is the deleted message's own. */
public record MessageDeleted(UUID conversationId, UUID messageId, long seq, UUID senderId, UUID deletedBy) {}

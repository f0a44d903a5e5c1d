package dev.parley.message;

import java.time.Instant;
import java.util.UUID;

/** A message a caller may see, located: what reactions and receipts need to act on it. */
public record MessageRef(
        UUID messageId,
        UUID conversationId,
        long seq,
        UUID senderId,
        MessageType type,
        boolean deleted,
        Instant createdAt) {}

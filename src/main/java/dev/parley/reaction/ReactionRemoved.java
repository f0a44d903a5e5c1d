package dev.parley.reaction;

import java.util.UUID;

/** Published when a user's emoji was taken off a message (not when it was not there). */
public record ReactionRemoved(UUID conversationId, UUID messageId, UUID userId, String emoji) {}

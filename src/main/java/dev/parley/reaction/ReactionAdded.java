package dev.parley.reaction;

import java.util.UUID;

/** Published when a user's emoji was added to a message (not when it was there already). */
public record ReactionAdded(UUID conversationId, UUID messageId, UUID userId, String emoji) {}

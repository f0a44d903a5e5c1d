package dev.parley.membership;

import java.util.UUID;

/**
 * A conversation that waits in {@code userId}'s requests folder: a direct conversation or a group invitation that
 * {@code requestedBy} (null once that account is gone) started without being the user's contact. Not a membership:
 * the user is no active participant until accepting.
 */
public record PendingRequest(UUID conversationId, ConversationType type, UUID userId, UUID requestedBy) {}

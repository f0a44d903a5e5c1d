package dev.parley.presence;

import java.util.UUID;

/**
 * Published when a user starts (or renews) typing in a conversation, and when they stop on request or by sending.
 * An expired state publishes nothing: clients drop an indicator that was not renewed within {@link TypingService#TTL}.
 *
 * @param origin the device whose socket frame started or stopped it, which is not told of its own typing; null
 *               otherwise
 */
public record TypingChanged(UUID conversationId, UUID userId, String username, boolean typing, String origin) {}

package dev.parley.conversation;

import java.time.Instant;
import java.util.UUID;

/**
 * Published when a group's name or photo, or a conversation's disappearing-messages timer, changed; the values are
 * the ones now stored.
 */
public record ConversationUpdated(
        UUID conversationId,
        String name,
        String photoUrl,
        UUID updatedBy,
        Instant updatedAt,
        Integer messageTtlSeconds) {}

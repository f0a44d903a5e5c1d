package dev.parley.conversation;

import java.util.UUID;

/** Published when a user stopped being an active participant; {@code removedBy} is the user themselves on leaving. */
public record ParticipantRemoved(UUID conversationId, UUID userId, UUID removedBy) {}

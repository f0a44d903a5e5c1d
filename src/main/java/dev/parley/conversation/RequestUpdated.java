package dev.parley.conversation;

import java.util.UUID;

/**
 * Published when the requests folder of {@code userId} changed because of {@code conversationId}: a request arrived,
 * its requester wrote more in it, or the user answered it. {@code requests} is the folder's count afterwards, as
 * {@code GET /conversations} answers it. For the user's own devices only: never for the requester, never a push.
 */
public record RequestUpdated(UUID userId, UUID conversationId, ConversationView.Requests requests) {}

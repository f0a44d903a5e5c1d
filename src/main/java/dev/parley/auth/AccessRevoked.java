package dev.parley.auth;

import dev.parley.common.AuthUser;
import java.util.UUID;

/**
 * This node has just learned that access ended: of one session ({@code sessionId}), or, with {@code sessionId}
 * null, of every token of the user issued so far (suspension, deletion). Published on every node (not only the
 * one where it happened), outside any transaction; whatever holds a connection open for that user checks its
 * caller again with {@link AccessTokens#isRevoked(AuthUser)} and ends it.
 */
public record AccessRevoked(UUID userId, UUID sessionId) {}

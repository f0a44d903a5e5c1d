package dev.parley.common;

import java.time.Instant;
import java.util.UUID;

/**
 * The authenticated caller; controllers receive it as a method argument. Besides the user it carries what the
 * token said of itself: the session it belongs to ({@code sessionId}; null for a host app's token in integration
 * mode), when it was issued and when it expires (either may be null when a host app's token leaves it out). A
 * connection that outlives the request (a socket, an event stream, a long poll) checks these against revocations.
 */
public record AuthUser(UUID id, UUID sessionId, Instant issuedAt, Instant expiresAt) {

    /** The request (and handshake) attribute the authenticated caller is kept under. */
    public static final String ATTRIBUTE = AuthUser.class.getName();

    public AuthUser(UUID id) {
        this(id, null, null, null);
    }
}

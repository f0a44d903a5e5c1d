package dev.parley.realtime.gateway;

import org.springframework.web.socket.CloseStatus;

/**
 * The close codes Parley's gateway uses besides the protocol's own (1000 normal, 1001 server going away, 1003
 * binary frame, 1009 frame over {@code parley.realtime.max-frame-size}, 1011 server error). Codes 4000-4999 are
 * the application's to define (RFC 6455, 7.4.2).
 */
final class CloseCodes {

    /** Nothing heard from the client (no frame, no pong) for {@code parley.realtime.idle-timeout}. */
    static final CloseStatus IDLE_TIMEOUT = new CloseStatus(4000, "idle timeout");

    /**
     * The access token the socket was opened with has expired. The client gets a fresh one
     * ({@code POST /auth/refresh}), reconnects with it and catches up from its last cursor or seq.
     */
    static final CloseStatus TOKEN_EXPIRED = new CloseStatus(4001, "token expired");

    /**
     * Access ended before the token did: the session was revoked (logout, a password change, a replayed refresh
     * token), or the account was suspended or deleted. The client must not reconnect with this token, nor refresh
     * it; it signs in again (and is told why if it cannot).
     */
    static final CloseStatus ACCESS_REVOKED = new CloseStatus(4003, "access revoked");

    /**
     * The client reads too slowly: more than {@code send-buffer-limit} bytes waited for it, or one write took
     * longer than {@code send-time-limit}. It should reconnect and catch up from its last seq.
     */
    static final CloseStatus SLOW_CONSUMER = new CloseStatus(4008, "slow consumer");

    /**
     * The client kept sending frames faster than {@code parley.realtime.frame-rate} after being told so with
     * {@code error} frames (RATE_LIMIT_EXCEEDED). It should slow down before reconnecting.
     */
    static final CloseStatus FRAME_FLOOD = new CloseStatus(4029, "too many frames");

    /**
     * The user already held {@code parley.realtime.max-sockets-per-user} sockets on this node when this one opened:
     * its handshake raced another past the 429 check. The client should close a socket it no longer needs.
     */
    static final CloseStatus TOO_MANY_SOCKETS = new CloseStatus(4030, "too many sockets");

    private CloseCodes() {}
}

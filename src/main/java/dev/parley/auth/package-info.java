/**
 * Authentication: registration, password login, refresh-token rotation (a replayed refresh token ends its
 * session), logout and password change; Parley's own HS256 access tokens, or the host app's JWTs checked against
 * its JWKS (integration mode); the deny-by-default filter and the WebSocket upgrade's token check; sessions and
 * their revocation, which every node learns from the {@code revocations} feed within about a second
 * ({@link dev.parley.auth.AccessRevoked}). Owns the tables {@code sessions}, {@code refresh_tokens} and
 * {@code revocations} (V5, with the trigger on {@code users}) and {@code parley.auth.*}.
 *
 * <p>May call: {@code user} (accounts), {@code audit} (logins, sessions ended), {@code moderation} (login and
 * registration limits), {@code common}. Called by realtime (handshake, revocations) and config (public paths).
 */
package dev.parley.auth;

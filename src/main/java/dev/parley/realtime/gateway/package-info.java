/**
 * The WebSocket gateway at {@code /api/v1/ws}: the handshake (origin, token, the per-user socket cap), one
 * {@link dev.parley.realtime.gateway.Connection} per socket with its bounded outbound queue, heartbeats, idle and
 * token expiry, frame size and rate limits, the close codes, this node's registry of sockets by user, and the
 * dispatch of client frames to the same services REST calls. A frame's changes name its device as their
 * {@code origin}. On shutdown ({@code GatewayShutdown}): handshakes refused once readiness is down, then the frames
 * in flight finished and every socket closed with 1001.
 *
 * <p>Owns {@code parley.realtime.*}. May call: auth (handshake, revocation), message, typing, receipt and presence
 * services, common. Called by delivery (sockets to write to, frame encoding) and sync (per-user caps); calls
 * neither.
 */
package dev.parley.realtime.gateway;

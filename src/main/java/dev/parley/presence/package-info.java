/**
 * Presence and typing, both hints rather than truth. Presence: each device is alive while heard within its TTL,
 * a user is online, away or offline; only debounced transitions are written to {@code user_presence} and announced
 * ({@link dev.parley.presence.PresenceChanged}), to the user's contacts. Typing: a state lasts ten seconds unless
 * renewed, is never written to PostgreSQL and ends when the user sends. Both stores are in process, or in Redis
 * when it is configured. Owns {@code user_presence}, the Redis keys {@code <prefix>:presence:*} and
 * {@code <prefix>:typing:*}, and {@code parley.presence.*}.
 *
 * <p>May call: {@code membership}, {@code user}, {@code message} (listens to {@code MessageSent}),
 * {@code moderation} (typing and heartbeat limits), {@code common}. Called by realtime (sockets, heartbeats).
 */
package dev.parley.presence;

/**
 * Delivery to devices: the features' events become frames after their change commits
 * ({@link dev.parley.realtime.delivery.EventRelay}), encoded once, for their audience (active participants less
 * those who blocked the author, cached per node), handed to this node's sockets and, with Redis, published for the
 * other nodes' ({@link dev.parley.realtime.delivery.Fanout}). An event's {@code origin} device is skipped: it has
 * its answer. Owns the event frames' types and shapes ({@link dev.parley.realtime.delivery.EventFrames}), and the
 * event streams' taps for the live frames the log never holds ({@link dev.parley.realtime.delivery.StreamTaps}).
 *
 * Event frame types are {@link dev.parley.eventlog.EventType}'s wire names, except typing and presence (never
 * logged).
 *
 * <p>May call: the gateway (this node's sockets, frame encoding), membership and user (members, blocks), eventlog
 * (event types), common (Redis keys and conditions); listens to every feature's events. Called by sync (audience,
 * frame shapes); never calls it.
 */
package dev.parley.realtime.delivery;

/**
 * Catch-up: the events log (appended through the eventlog module in the transaction of each change, read and
 * purged after {@code parley.sync.retention} here),
 * {@code GET /sync} with its cursors and long poll, {@code GET /events} (Server-Sent Events, which also carry the
 * live notices delivery taps for them), and the waking of
 * waiting requests when something for their user commits, on this node or another.
 *
 * <p>Owns {@code parley.sync.*}. May call: delivery (audience, frame shapes, stream taps), the gateway (per-user
 * caps), eventlog (appending, event types), message (current state of logged messages), auth, common; listens to
 * the features' events. Nothing in realtime calls it.
 */
package dev.parley.realtime.sync;

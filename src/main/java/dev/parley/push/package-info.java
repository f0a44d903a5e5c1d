/**
 * Push notifications: devices (FCM and APNs tokens, Web Push subscriptions) and each user's preview setting
 * ({@code devices}); the notify consumer, which derives who is told of what from the catch-up log with a cursor
 * of its own, and the durable push queue with its workers ({@code dispatch}); the providers, FCM HTTP v1, APNs
 * (Pushy, token auth) and Web Push (RFC 8291/8292) ({@code providers}). Nothing here runs on the send path.
 * The root package is what other features may use: {@link dev.parley.push.LogSubscriber} lets webhooks ride on
 * the consumer's pass over the log.
 *
 * <p>May call: {@code common}, {@code eventlog} (event types), {@code membership} (active participants),
 * {@code conversation} (unread counts, mutes, group names), {@code user} (blocks), {@code presence} (who is live
 * on any node), {@code message} (message previews). Called by: {@code webhook}.
 */
package dev.parley.push;

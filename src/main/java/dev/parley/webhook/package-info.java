/**
 * Webhooks: with {@code parley.webhook.url} and {@code secret} set, every event of the catch-up log and every
 * {@code notification.requested} of the notify rule is POSTed to the host app, batched in log order, signed
 * (HMAC-SHA256 over timestamp and body), retried with backoff for at least 24 h, one delivery at a time so order
 * holds. Deliveries are recorded by riding on push's notify consumer ({@link dev.parley.push.LogSubscriber}), in
 * its transaction, and sent by {@code WebhookSender}; {@code GET /api/v1/admin/webhooks/status} and metrics show
 * the backlog.
 *
 * <p>May call: {@code common}, {@code eventlog} (event types), {@code push} (the log consumer), {@code message}
 * (messages as they are now). Called by: nobody.
 */
package dev.parley.webhook;

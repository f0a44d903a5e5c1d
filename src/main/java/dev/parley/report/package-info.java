/**
 * Reports of messages and users, and the admins' review queue.
 *
 * <p><b>Owns</b> the table {@code reports} (V13): who reported what, a snapshot of it as it was then (so deleting
 * the message keeps the evidence), one open report per reporter and target, and how it was resolved.
 *
 * <p><b>Who calls it.</b> Participants through its controller; the admin feature (queue, resolve); image
 * moderation's listener files the system's reports.
 *
 * <p><b>Whom it calls.</b> {@code message} (what a participant may see, context around a message), {@code attachment}
 * (listens to
 * {@code AttachmentRejected}), {@code user},
 * {@code moderation} (the report allowance) and {@code common}. Resolving's consequences (deleting, suspending,
 * the audit entry) are the admin feature's, in the same transaction.
 */
package dev.parley.report;

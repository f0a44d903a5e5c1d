/**
 * Messages: sending (one path for REST and WebSocket, through {@code MessageSender}), history, edits, tombstone
 * deletes, system messages, search and the monthly partitions. Owns the tables {@code messages},
 * {@code message_idempotency}, {@code message_search} and its cursor, and the per-conversation seq; announces
 * {@code MessageSent}, {@code MessageEdited}, {@code MessageImageUpdated} and {@code MessageDeleted}. Features above
 * it use its interfaces {@code SystemMessages} and {@code MessagePreviews}; reaction implements its
 * {@code ReactionSummaries}.
 *
 * <p>May call: {@code attachment} (claims, image metadata; listens to {@code AttachmentProcessed}), {@code eventlog},
 * {@code membership}, {@code user}, {@code moderation}, {@code common}. Called by conversation, reaction, receipt,
 * presence and realtime.
 */
package dev.parley.message;

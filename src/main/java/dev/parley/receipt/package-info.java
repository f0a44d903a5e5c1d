/**
 * Receipts: each participant's delivered and read watermarks ({@code last_delivered_seq}, {@code last_read_seq}),
 * which only move forward; a read of message N means everything up to seq N. Owns the table
 * {@code message_receipts} (conversation creates a participant's row on joining) and announces
 * {@link dev.parley.receipt.ReceiptUpdated}, in the transaction of the move so the catch-up log records it.
 * Unread counts are computed from these watermarks (here, and in the conversation list's statement).
 *
 * <p>May call: {@code message} (locating a message), {@code membership}, {@code common}. Called by realtime (the
 * gateway's {@code message.read} frame, listening to its events).
 */
package dev.parley.receipt;

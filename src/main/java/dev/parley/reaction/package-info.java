/**
 * Emoji reactions on messages: one grapheme per reaction, idempotent per (message, user, emoji), a bounded number
 * of distinct emoji per message. Owns the table {@code message_reactions}, announces
 * {@link dev.parley.reaction.ReactionAdded} and {@link dev.parley.reaction.ReactionRemoved}, and supplies message
 * objects with their summaries by implementing message's {@code ReactionSummaries}.
 *
 * <p>May call: {@code message} (locating a message the caller may see), {@code membership}, {@code common}.
 * Called by realtime (listening to its events).
 */
package dev.parley.reaction;

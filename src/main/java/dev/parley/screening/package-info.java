/**
 * Screening content before it is stored: the operator's content rules (words and patterns matched on folded text:
 * NFKC, case folding, zero-width characters gone, look-alike letters collapsed by their UTS #39 skeleton,
 * spaced-out spellings joined) and the pre-send hook. {@link dev.parley.screening.ContentScreen} is the API.
 *
 * <p><b>Owns</b> no table; the rules live in the operator's settings (parley.moderation.*).
 *
 * <p><b>Who calls it.</b> message (send, edit), user (display names), conversation (group names), reaction
 * (reactions) and attachment (completion, and image moderation's hook verdicts via the same metrics).
 *
 * <p><b>Whom it calls.</b> {@code common} and {@code audit} (refusals) only, so every feature may depend on it.
 */
package dev.parley.screening;

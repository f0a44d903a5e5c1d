/**
 * Users: profiles ({@code GET/PATCH /users/me}, {@code GET /users/{id}}), prefix search by username and display
 * name, blocking ({@code /users/{id}/block}) and each account's standing (suspended, deleted), and the end of an
 * account: deletion and its erasure. Owns the tables {@code users}, {@code blocks}, {@code account_deletions} and
 * {@code username_holds} and the pair check "does either of two users block the other"; announces
 * {@link dev.parley.user.UserBlocked} and {@link dev.parley.user.UserUnblocked}. Sessions and passwords are auth's;
 * what a block means inside a direct conversation is membership's view {@code member_standing}.
 *
 * <p>{@link dev.parley.user.AccountDeletions} records a deletion and runs the erasure; every feature that keeps a
 * user's data contributes a step by implementing {@link dev.parley.user.AccountErasure} (ordered with
 * {@code @Order}), so the erasure grows with the features without this one knowing them.
 *
 * <p>May call: {@code screening} (display names), {@code moderation} (look-up allowance), {@code audit},
 * {@code common}. Called by admin, report, membership, auth, conversation, message, presence, realtime, and by every
 * feature with an erasure step.
 */
package dev.parley.user;

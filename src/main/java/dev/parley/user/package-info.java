/**
 * Users: profiles, prefix search, blocking, and the account lifecycle's end: account deletion and its erasure.
 *
 * <p><b>Owns</b> the tables {@code users}, {@code blocks}, {@code account_deletions} and {@code username_holds}.
 * {@link dev.parley.user.AccountDeletions} records a deletion and runs the erasure; every feature that keeps a
 * user's data contributes a step by implementing {@link dev.parley.user.AccountErasure} (ordered with
 * {@code @Order}), so the erasure grows with the features without this one knowing them.
 *
 * <p><b>May call:</b> {@code common}, {@code audit}. Every feature may call it.
 */
package dev.parley.user;

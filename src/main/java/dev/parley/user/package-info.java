/**
 * Users: profiles ({@code GET/PATCH /users/me}, {@code GET /users/{id}}), prefix search by username and display
 * name, blocking ({@code /users/{id}/block}) and each account's standing (suspended, deleted). Owns the tables
 * {@code users} and {@code blocks} and the pair check "does either of two users block the other"; announces
 * {@link dev.parley.user.UserBlocked} and {@link dev.parley.user.UserUnblocked}. Sessions and passwords are auth's;
 * what a block means inside a direct conversation is membership's view {@code member_standing}.
 *
 * <p>May call: {@code common} only. Called by membership, auth, conversation, message, presence and realtime.
 */
package dev.parley.user;

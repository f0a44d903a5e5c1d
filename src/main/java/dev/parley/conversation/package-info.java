/**
 * Conversations: creating direct (one per pair) and group conversations, the conversation list with its exact
 * unread counts and previews, renaming, muting, leaving, and group membership changes (adding, removing, roles)
 * with the group's members locked. Owns the tables {@code conversations} and {@code conversation_participants}
 * (writes: who joins and leaves and with which role) and announces {@link dev.parley.conversation.ConversationUpdated},
 * {@link dev.parley.conversation.ParticipantAdded}, {@link dev.parley.conversation.ParticipantRemoved} and, for a
 * request's recipient alone, {@link dev.parley.conversation.RequestUpdated} (it listens to {@code MessageSent} for
 * messages into waiting requests).
 *
 * <p>May call: {@code message} through its interfaces ({@code SystemMessages} to post what changed,
 * {@code MessagePreviews} for the newest message of a row) and its views and events, {@code membership},
 * {@code user}, {@code contact} (the policy), {@code moderation} (group limits), {@code screening} (group names),
 * {@code common}. Called by realtime, which listens to its events.
 */
package dev.parley.conversation;

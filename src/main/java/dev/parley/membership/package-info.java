/**
 * Membership: who is an active participant of a conversation, with which role, and whether a direct-conversation
 * block silences them. The rules live in the views {@code active_participants} and {@code member_standing}
 * (migration V10); {@link MembershipService} answers them for Java callers, and other features' SQL reads the
 * views instead of repeating {@code left_at IS NULL} or the block rule (OwnershipTest keeps it so). Joining,
 * leaving and role changes are the conversation feature's; blocking users is the user feature's.
 *
 * <p>May call: {@code common}, {@code user} (profiles). Called by every feature that checks access to a
 * conversation.
 */
package dev.parley.membership;

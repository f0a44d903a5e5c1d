/**
 * Membership: who is an active participant of a conversation, with which role, and whether a direct-conversation
 * block silences them, and who has a request waiting instead of a membership (contact policy {@code requests}). The
 * rules live in the views {@code active_participants} (which leaves requests out), {@code member_standing},
 * {@code pending_requests} and {@code listed_participants} (migrations V10, V16); {@link MembershipService} answers
 * them for Java callers, and other features' SQL reads the views instead of repeating {@code left_at IS NULL} or
 * the block rule (OwnershipTest keeps it so). Joining, leaving, role changes and answers to requests are the
 * conversation feature's; blocking users is the user feature's; the contact policy is the contact feature's.
 *
 * <p>May call: {@code common}, {@code user} (profiles). Called by every feature that checks access to a
 * conversation.
 */
package dev.parley.membership;

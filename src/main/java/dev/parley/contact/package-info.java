/**
 * Contacts: who is whose contact (Parley's own mutual contact requests, pairs an admin pushed in bulk, the host
 * app's friendships through a signed, briefly cached lookup) and the deployment's contact policy ({@code open},
 * {@code requests}, {@code contacts}). Owns the table {@code contacts}; {@link dev.parley.contact.ContactService#admit}
 * is the one place the policy is applied: conversation asks it before a direct conversation starts or anyone is put
 * into a group, whatever the transport. What a request is once made (a participant row waiting for an answer) is
 * membership's view {@code pending_requests} and conversation's to write.
 *
 * <p>May call: {@code user} (existence, blocks, profiles), {@code moderation} (the allowance of requests to
 * strangers), {@code common}. Called by conversation and admin.
 */
package dev.parley.contact;

package dev.parley.message;

import dev.parley.common.ErrorCode;
import dev.parley.common.ParleyException;
import dev.parley.membership.Membership;
import dev.parley.membership.MembershipService;
import dev.parley.moderation.RateLimit;
import dev.parley.moderation.RateLimiter;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Whether a send may go ahead, and why one was not stored: the sender's message allowance before any work, and
 * after a refusal the reason (not a member, blocked) or the message a retry of the same {@code client_message_id}
 * stored before. The usual send asks the database nothing here: the send statement itself judges membership,
 * blocks and the idempotency key, and these lookups run only when it refused.
 */
@Component
class SendAdmission {

    private final RateLimiter limiter;
    private final MembershipService access;
    private final MessageReader reader;

    SendAdmission(RateLimiter limiter, MembershipService access, MessageReader reader) {
        this.limiter = limiter;
        this.access = access;
        this.reader = reader;
    }

    /**
     * Takes one unit of the sender's message allowance. Over the limit, a retry of a message already stored (same
     * {@code client_message_id}, say after a lost ack) still gets it back: refusing would make the client believe
     * it was never sent. The lookup runs only on refusal, so the usual send stays one statement; the price is that
     * a retry within the limit costs a unit like any send. Throws RATE_LIMIT_EXCEEDED, CONVERSATION_NOT_FOUND.
     */
    Optional<MessageSender.SendResult> takeAllowance(UUID sender, UUID conversationId, String clientMessageId) {
        try {
            limiter.acquire(sender, RateLimit.MESSAGE);
            return Optional.empty();
        } catch (ParleyException limited) {
            Optional<MessageSender.SendResult> earlier = earlierSend(conversationId, sender, clientMessageId);
            if (earlier.isEmpty()) {
                throw limited;
            }
            // As without a limit: a former participant's retry is answered 404, not with the message.
            access.requireMember(conversationId, sender);
            return earlier;
        }
    }

    /**
     * Why a send was not stored: the sender is not a participant (404), a block stands between the two sides of
     * a direct conversation (403, unless this is a retry of a message stored before the block), or the key was
     * used before (the original message, 200). Throws CONVERSATION_NOT_FOUND, USER_BLOCKED.
     */
    MessageSender.SendResult refused(UUID sender, UUID conversationId, String clientMessageId) {
        Membership membership = access.requireMember(conversationId, sender);
        Optional<MessageSender.SendResult> earlier = earlierSend(conversationId, sender, clientMessageId);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        if (membership.blocked()) {
            throw new ParleyException(ErrorCode.USER_BLOCKED, "You cannot message this user");
        }
        // Left the conversation between the statement and this check.
        throw ParleyException.conversationNotFound();
    }

    /** The message stored earlier under this key, answered as a retry (200, not created). */
    Optional<MessageSender.SendResult> earlierSend(UUID conversationId, UUID sender, String clientMessageId) {
        return reader.earlierSend(conversationId, sender, clientMessageId)
                .map(view -> new MessageSender.SendResult(view, false));
    }
}

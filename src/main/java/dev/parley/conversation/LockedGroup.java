package dev.parley.conversation;

import dev.parley.common.ParleyException;
import dev.parley.membership.Membership;
import dev.parley.membership.Role;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A group's active members, locked for the rest of the transaction, and the caller among them. Membership
 * changes of one group run one at a time, and each judges the caller's role from these rows rather than from
 * a check made before it waited: an admin demoted meanwhile can no longer act as one.
 */
record LockedGroup(List<ConversationRepository.Active> active, ConversationRepository.Active caller) {

    /** Locks the group's members. Throws CONVERSATION_NOT_FOUND when the caller is no longer one of them. */
    static LockedGroup lock(ConversationRepository conversations, Membership me) {
        List<ConversationRepository.Active> active = conversations.lockActive(me.conversationId());
        ConversationRepository.Active caller = active.stream()
                .filter(a -> a.userId().equals(me.member().userId()))
                .findFirst()
                .orElseThrow(ParleyException::conversationNotFound);
        return new LockedGroup(active, caller);
    }

    Role role() {
        return caller.role();
    }

    boolean callerModerates() {
        return role().moderates();
    }

    Optional<ConversationRepository.Active> member(UUID userId) {
        return active.stream().filter(a -> a.userId().equals(userId)).findFirst();
    }
}

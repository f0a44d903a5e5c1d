package dev.parley.membership;

import dev.parley.common.ParleyException;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * Who is an active member of a conversation, and whether a direct-conversation block stands between its two
 * sides: the one check every feature uses. A caller who is not an active participant gets CONVERSATION_NOT_FOUND,
 * whether or not the conversation exists.
 */
@Service
public class MembershipService {

    private final MembershipRepository memberships;

    MembershipService(MembershipRepository memberships) {
        this.memberships = memberships;
    }

    /** The users who are active participants now (none for an unknown conversation). */
    public Set<UUID> activeParticipantIds(UUID conversationId) {
        return memberships.activeParticipantIds(conversationId);
    }

    /** As {@link #activeParticipantIds(UUID)} for several conversations at once, by conversation id. */
    public Map<UUID, Set<UUID>> activeParticipantIds(Collection<UUID> conversationIds) {
        return conversationIds.isEmpty() ? Map.of() : memberships.activeParticipantIds(conversationIds);
    }

    /** The users who share at least one conversation with {@code userId} (both active in it), not the user. */
    public Set<UUID> contactIds(UUID userId) {
        return memberships.contactIds(userId);
    }

    /** Whether both users are active participants of at least one conversation. */
    public boolean shareConversation(UUID a, UUID b) {
        return memberships.shareConversation(a, b);
    }

    /**
     * The request waiting for {@code userId} in the conversation, if one does (not answered yet). A pending
     * recipient is no active participant: nothing of theirs (receipts, typing, presence) reaches the conversation,
     * and its events, pushes and search do not reach them.
     */
    public Optional<PendingRequest> pendingRequest(UUID conversationId, UUID userId) {
        return memberships.pending(conversationId, userId);
    }

    /**
     * Who may read a conversation's history: an active participant, or the recipient of a direct request that waits
     * (the requester's messages are visible in the request, and only there). A group invitation shows the group,
     * not its history. Throws CONVERSATION_NOT_FOUND.
     */
    public void requireReader(UUID conversationId, UUID userId) {
        if (memberships.standing(conversationId, userId).isPresent()) {
            return;
        }
        memberships
                .pending(conversationId, userId)
                .filter(request -> request.type() == ConversationType.DIRECT)
                .orElseThrow(ParleyException::conversationNotFound);
    }

    /** The caller's standing in the conversation. Throws CONVERSATION_NOT_FOUND. */
    public Membership requireMember(UUID conversationId, UUID userId) {
        return memberships.standing(conversationId, userId).orElseThrow(ParleyException::conversationNotFound);
    }
}

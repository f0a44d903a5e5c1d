package dev.parley.membership;

import dev.parley.common.ParleyException;
import java.util.Collection;
import java.util.Map;
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

    /** As {@link #activeParticipantIds(UUID)} for many conversations in one statement (each id present). */
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

    /** The caller's standing in the conversation. Throws CONVERSATION_NOT_FOUND. */
    public Membership requireMember(UUID conversationId, UUID userId) {
        return memberships.standing(conversationId, userId).orElseThrow(ParleyException::conversationNotFound);
    }
}

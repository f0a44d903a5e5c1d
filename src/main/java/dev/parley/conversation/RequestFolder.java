package dev.parley.conversation;

import dev.parley.common.ParleyException;
import dev.parley.membership.ConversationType;
import dev.parley.membership.MembershipService;
import dev.parley.membership.PendingRequest;
import dev.parley.membership.Role;
import dev.parley.message.SystemMessages;
import dev.parley.user.UserService;
import dev.parley.user.UserView;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The requests folder: conversations and group invitations from non-contacts (contact policy {@code requests}),
 * listed apart, and their answers. Until accepted, a recipient is no active participant, so nothing of theirs
 * reaches the requester and no push or webhook notification reaches them (membership's views decide that, not this
 * class). A decline changes nothing the requester can see: their side reads the same before and after.
 */
@Service
public class RequestFolder {

    private final ConversationRepository conversations;
    private final FolderRepository folders;
    private final MembershipService access;
    private final ConversationService conversationService;
    private final UserService users;
    private final SystemMessages systemMessages;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    RequestFolder(
            ConversationRepository conversations,
            FolderRepository folders,
            MembershipService access,
            ConversationService conversationService,
            UserService users,
            SystemMessages systemMessages,
            ApplicationEventPublisher events,
            Clock clock) {
        this.conversations = conversations;
        this.folders = folders;
        this.access = access;
        this.conversationService = conversationService;
        this.users = users;
        this.systemMessages = systemMessages;
        this.events = events;
        this.clock = clock;
    }

    /**
     * {@code GET /conversations?folder=}: the conversations ({@code folder} absent or {@code inbox}) or the requests
     * ({@code requests}), with the requests counted apart in either. Throws VALIDATION_FAILED.
     */
    public ConversationView.Page list(UUID caller, String folder, String before, Integer limit) {
        if (folder != null && !folder.equals("inbox") && !folder.equals("requests")) {
            throw ParleyException.validation("folder", "folder must be inbox or requests");
        }
        ConversationView.Page page = conversationService.list(caller, "requests".equals(folder), before, limit);
        return new ConversationView.Page(
                page.conversations(), page.hasMore(), page.nextCursor(), folders.requests(caller));
    }

    /**
     * Accepts a request waiting for the caller: a direct conversation becomes an ordinary one with its history; a
     * group invitation makes the caller a member ({@code member_added}). Accepting what the caller already
     * accepted (another device was first) answers the same. Throws CONVERSATION_NOT_FOUND (no such request, or it
     * was declined), VALIDATION_FAILED (the group is full).
     */
    @Transactional
    public ConversationView accept(UUID caller, UUID conversationId) {
        PendingRequest request = access.pendingRequest(conversationId, caller).orElse(null);
        if (request == null) {
            access.requireMember(conversationId, caller);
            return conversationService.get(caller, conversationId);
        }
        boolean group = request.type() == ConversationType.GROUP;
        if (group && conversations.lockActive(conversationId).size() >= ConversationRequests.MAX_GROUP_SIZE) {
            throw ParleyException.validation(
                    "conversation_id", "A group holds at most " + ConversationRequests.MAX_GROUP_SIZE + " members");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        if (!folders.acceptRequest(conversationId, caller, group, now)) {
            // Answered meanwhile from another device: accepted (the same answer) or declined (not found).
            access.requireMember(conversationId, caller);
            return conversationService.get(caller, conversationId);
        }
        UserView me = users.get(caller);
        UUID inviter = request.requestedBy() == null ? caller : request.requestedBy();
        if (group) {
            // As a join: what the group said before it is not counted unread.
            conversations.startWatermarks(conversationId, caller, now);
        }
        // Before the system message, so that listeners count the newcomer among its recipients.
        events.publishEvent(new ParticipantAdded(conversationId, me, Role.MEMBER, inviter));
        if (group) {
            systemMessages.post(
                    conversationId,
                    me,
                    me.displayName() + " joined",
                    ConversationService.systemMetadata("member_added", inviter, caller, Map.of()));
        }
        // The caller's other devices: the request left the folder.
        events.publishEvent(new RequestNotices.Changed(caller, conversationId));
        return conversationService.get(caller, conversationId);
    }

    /**
     * Declines a request waiting for the caller; with {@code block}, the requester is blocked too. Nothing tells the
     * requester. Throws CONVERSATION_NOT_FOUND (no request waits: none, declined, or accepted already).
     */
    @Transactional
    public void decline(UUID caller, UUID conversationId, boolean block) {
        PendingRequest request =
                access.pendingRequest(conversationId, caller).orElseThrow(ParleyException::conversationNotFound);
        boolean group = request.type() == ConversationType.GROUP;
        if (!folders.declineRequest(conversationId, caller, group, clock.instant())) {
            throw ParleyException.conversationNotFound();
        }
        if (block && request.requestedBy() != null) {
            users.block(caller, request.requestedBy());
        }
        events.publishEvent(new RequestNotices.Changed(caller, conversationId));
    }
}

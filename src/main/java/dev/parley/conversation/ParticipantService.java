package dev.parley.conversation;

import dev.parley.common.ErrorCode;
import dev.parley.common.ParleyException;
import dev.parley.membership.Membership;
import dev.parley.membership.MembershipService;
import dev.parley.membership.Role;
import dev.parley.message.SystemMessages;
import dev.parley.user.UserService;
import dev.parley.user.UserView;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Adding and removing group members and changing their roles; each change writes a system message. */
@Service
public class ParticipantService {

    public static final int DEFAULT_PAGE = 50;
    public static final int MAX_PAGE = 100;

    private final ConversationRepository conversations;
    private final MembershipService access;
    private final GroupAdmission admission;
    private final ConversationService conversationService;
    private final UserService users;
    private final SystemMessages systemMessages;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    ParticipantService(
            ConversationRepository conversations,
            MembershipService access,
            GroupAdmission admission,
            ConversationService conversationService,
            UserService users,
            SystemMessages systemMessages,
            ApplicationEventPublisher events,
            Clock clock) {
        this.conversations = conversations;
        this.events = events;
        this.access = access;
        this.admission = admission;
        this.conversationService = conversationService;
        this.users = users;
        this.systemMessages = systemMessages;
        this.clock = clock;
    }

    /**
     * Active participants in join order, paged by {@code cursor} (a {@code next_cursor}); participants only.
     * Throws CONVERSATION_NOT_FOUND, VALIDATION_FAILED.
     */
    public ConversationView.ParticipantPage list(UUID caller, UUID conversationId, String cursor, Integer limit) {
        int size = limit == null ? DEFAULT_PAGE : limit;
        if (size < 1 || size > MAX_PAGE) {
            throw ParleyException.validation("limit", "limit must be between 1 and " + MAX_PAGE);
        }
        TimeIdCursor after = TimeIdCursor.parse("cursor", cursor);
        access.requireMember(conversationId, caller);
        List<ConversationRepository.ParticipantRow> rows =
                conversations.participantPage(conversationId, after, size + 1);
        boolean more = rows.size() > size;
        List<ConversationRepository.ParticipantRow> shown = more ? rows.subList(0, size) : rows;
        String next = more
                ? new TimeIdCursor(
                                shown.getLast().joinedAt(),
                                shown.getLast().user().userId())
                        .encode()
                : null;
        return new ConversationView.ParticipantPage(
                shown.stream().map(ConversationRepository.ParticipantRow::view).toList(), more, next);
    }

    /**
     * Adds users to a group (admins and owner only); users already in it (or invited) are skipped, former members
     * come back; under the contact policy {@code requests} a non-contact of the caller is invited instead.
     * Throws CONVERSATION_NOT_FOUND, FORBIDDEN, USER_NOT_FOUND, VALIDATION_FAILED (group full), USER_BLOCKED,
     * NOT_A_CONTACT, RATE_LIMIT_EXCEEDED (members added per hour).
     */
    @Transactional
    public ConversationView add(UUID caller, UUID conversationId, ConversationRequests.AddParticipants request) {
        Membership me = requireGroupMember(caller, conversationId);
        Set<UUID> wanted = new LinkedHashSet<>(request.userIds());
        Map<UUID, UserView> found = users.getAll(wanted);
        if (found.size() != wanted.size()) {
            List<UUID> missing =
                    wanted.stream().filter(id -> !found.containsKey(id)).toList();
            throw new ParleyException(
                    ErrorCode.USER_NOT_FOUND,
                    "Unknown users in user_ids",
                    Map.of("field", "user_ids", "user_ids", missing));
        }
        LockedGroup group = LockedGroup.lock(conversations, me);
        if (!group.callerModerates()) {
            throw ParleyException.forbidden("Only a group's admins and owner can add members");
        }
        List<UUID> joining =
                wanted.stream().filter(id -> group.member(id).isEmpty()).toList();
        if (group.active().size() + joining.size() > ConversationRequests.MAX_GROUP_SIZE) {
            throw ParleyException.validation(
                    "user_ids", "A group holds at most " + ConversationRequests.MAX_GROUP_SIZE + " members");
        }
        Set<UUID> invited = admission.adding(caller, joining);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        List<UUID> invitedNow = new ArrayList<>();
        for (UUID userId : wanted) {
            if (invited.contains(userId)) {
                // An invitation waits in their requests folder; they join (member_added) when they accept it.
                if (conversations.addParticipant(conversationId, userId, Role.MEMBER, now, caller)) {
                    invitedNow.add(userId);
                }
            } else if (conversations.addParticipant(conversationId, userId, Role.MEMBER, now, null)) {
                UserView target = found.get(userId);
                // Before the system message, so that listeners count the newcomer among its recipients.
                events.publishEvent(new ParticipantAdded(conversationId, target, Role.MEMBER, caller));
                systemMessages.post(
                        conversationId,
                        me.member(),
                        me.member().displayName() + " added " + target.displayName(),
                        ConversationService.systemMetadata("member_added", caller, userId, Map.of()));
            }
        }
        // The invitees' folders counted in one statement; each hears of their own.
        events.publishEvent(new RequestNotices.Changed(invitedNow, conversationId));
        return conversationService.get(caller, conversationId);
    }

    /**
     * Removes a member. Anyone may remove themselves (leaving); admins remove members, the owner removes anyone.
     * Throws CONVERSATION_NOT_FOUND, FORBIDDEN, USER_NOT_FOUND (not a member).
     */
    @Transactional
    public void remove(UUID caller, UUID conversationId, UUID target) {
        Membership me = access.requireMember(conversationId, caller);
        if (!me.isGroup()) {
            throw ParleyException.forbidden("Members of a direct conversation cannot be removed");
        }
        if (caller.equals(target)) {
            conversationService.leaveGroup(me);
            return;
        }
        LockedGroup group = LockedGroup.lock(conversations, me);
        if (!group.callerModerates()) {
            throw ParleyException.forbidden("Only a group's admins and owner can remove members");
        }
        ConversationRepository.Active victim = group.member(target)
                .orElseThrow(() -> new ParleyException(ErrorCode.USER_NOT_FOUND, "User is not a member of this group"));
        if (victim.role() != Role.MEMBER && group.role() != Role.OWNER) {
            throw ParleyException.forbidden("Only the owner can remove an admin");
        }
        if (victim.role() == Role.OWNER) {
            throw ParleyException.forbidden("The owner cannot be removed");
        }
        conversations.markLeft(conversationId, target, clock.instant().truncatedTo(ChronoUnit.MILLIS));
        // Before the system message, so that listeners no longer count the removed user among its recipients.
        events.publishEvent(new ParticipantRemoved(conversationId, target, caller));
        UserView targetView = users.get(target);
        systemMessages.post(
                conversationId,
                me.member(),
                me.member().displayName() + " removed " + targetView.displayName(),
                ConversationService.systemMetadata("member_removed", caller, target, Map.of()));
    }

    /** Makes a member an admin or back (owner only). Throws CONVERSATION_NOT_FOUND, FORBIDDEN, USER_NOT_FOUND. */
    @Transactional
    public ConversationView changeRole(
            UUID caller, UUID conversationId, UUID target, ConversationRequests.ChangeRole request) {
        Membership me = access.requireMember(conversationId, caller);
        if (!me.isGroup()) {
            throw ParleyException.forbidden("Only the group's owner can change roles");
        }
        LockedGroup group = LockedGroup.lock(conversations, me);
        if (group.role() != Role.OWNER) {
            throw ParleyException.forbidden("Only the group's owner can change roles");
        }
        if (caller.equals(target)) {
            throw ParleyException.forbidden("The owner's role cannot be changed; another member must become owner");
        }
        ConversationRepository.Active member = group.member(target)
                .orElseThrow(() -> new ParleyException(ErrorCode.USER_NOT_FOUND, "User is not a member of this group"));
        Role role = Role.of(request.role());
        if (member.role() != role) {
            conversations.setRole(conversationId, target, role);
            UserView targetView = users.get(target);
            String what = role == Role.ADMIN
                    ? " made " + targetView.displayName() + " an admin"
                    : " made " + targetView.displayName() + " a member";
            systemMessages.post(
                    conversationId,
                    me.member(),
                    me.member().displayName() + what,
                    ConversationService.systemMetadata("role_changed", caller, target, Map.of("role", role.wire())));
        }
        return conversationService.get(caller, conversationId);
    }

    private Membership requireGroupMember(UUID caller, UUID conversationId) {
        Membership me = access.requireMember(conversationId, caller);
        if (!me.isGroup()) {
            throw ParleyException.forbidden("Direct conversations have exactly two participants");
        }
        return me;
    }
}

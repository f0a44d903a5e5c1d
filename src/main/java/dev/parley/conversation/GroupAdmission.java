package dev.parley.conversation;

import dev.parley.common.ErrorCode;
import dev.parley.common.ParleyException;
import dev.parley.contact.ContactService;
import dev.parley.moderation.RateLimit;
import dev.parley.moderation.RateLimiter;
import dev.parley.screening.ContentScreen;
import dev.parley.screening.ScreenedField;
import dev.parley.user.UserService;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Who may put whom into a conversation, and how often: the one rule behind starting a direct conversation, creating
 * a group and adding members (REST and every other transport reach it through the services); and what a group may be
 * called (the content rules).
 *
 * <p>The deployment's contact policy (contact's {@link ContactService#admit}) is asked last, after blocks and
 * limits: under {@code contacts} a non-contact is refused with NOT_A_CONTACT; under {@code requests} the users it
 * names get a request (a row waiting in their requests folder) instead of a membership.
 *
 * <p>A block either way refuses: a user who blocked you cannot be put into a group by you (the contract), and
 * neither can a user you blocked, as with direct conversations; unblock first. Otherwise a block could be walked
 * around by making a group, and a blocked user's messages would land in a group the blocker shares with them.
 *
 * <p>Rate limits, per caller: groups created, and users put into groups (each added user one unit, at creation
 * too), so that nobody can fill a stranger's conversation list with groups.
 */
@Component
class GroupAdmission {

    private final UserService users;
    private final RateLimiter limits;
    private final ContentScreen screen;
    private final ContactService contacts;

    GroupAdmission(UserService users, RateLimiter limits, ContentScreen screen, ContactService contacts) {
        this.users = users;
        this.limits = limits;
        this.screen = screen;
        this.contacts = contacts;
    }

    /**
     * Before {@code caller} starts (or reopens) a direct conversation with {@code other}; true when it is to arrive
     * as a request. Throws USER_NOT_FOUND, USER_BLOCKED, NOT_A_CONTACT.
     */
    boolean direct(UUID caller, UUID other) {
        users.requireExists(other);
        if (users.eitherBlocks(caller, other)) {
            throw new ParleyException(ErrorCode.USER_BLOCKED, "You cannot start a conversation with this user");
        }
        return !contacts.admit(caller, Set.of(other)).isEmpty();
    }

    /** A group's name as the content rules let it be (masked where they say). Throws CONTENT_REJECTED. */
    String name(UUID caller, String name) {
        return name == null || name.isEmpty() ? name : screen.text(caller, ScreenedField.GROUP_NAME, name);
    }

    /**
     * Before {@code caller} creates a group with {@code members} (the caller not among them); those to be invited
     * rather than added. Throws USER_BLOCKED, NOT_A_CONTACT, RATE_LIMIT_EXCEEDED, VALIDATION_FAILED (more members
     * than the hourly allowance).
     */
    Set<UUID> creating(UUID caller, Collection<UUID> members) {
        refuseBlocked(caller, members, "participant_ids");
        Set<UUID> invited = contacts.admit(caller, members);
        limits.acquire(caller, RateLimit.GROUP_CREATE);
        limits.acquire(caller, RateLimit.MEMBER_ADD, members.size());
        return invited;
    }

    /**
     * Before {@code caller} adds {@code joining} (users not in the group now) to a group; those to be invited rather
     * than added. Throws USER_BLOCKED, NOT_A_CONTACT, RATE_LIMIT_EXCEEDED, VALIDATION_FAILED (more users than the
     * hourly allowance).
     */
    Set<UUID> adding(UUID caller, Collection<UUID> joining) {
        refuseBlocked(caller, joining, "user_ids");
        Set<UUID> invited = contacts.admit(caller, joining);
        limits.acquire(caller, RateLimit.MEMBER_ADD, joining.size());
        return invited;
    }

    private void refuseBlocked(UUID caller, Collection<UUID> users, String field) {
        Set<UUID> blocked = this.users.blockedEitherWay(caller, users);
        if (!blocked.isEmpty()) {
            throw new ParleyException(
                    ErrorCode.USER_BLOCKED,
                    "You cannot put into a group a user who blocked you or whom you blocked",
                    Map.of(
                            "field",
                            field,
                            "user_ids",
                            blocked.stream().map(UUID::toString).sorted().toList()));
        }
    }
}

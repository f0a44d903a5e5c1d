package dev.parley.conversation;

import dev.parley.common.ErrorCode;
import dev.parley.common.ParleyException;
import dev.parley.moderation.RateLimit;
import dev.parley.moderation.RateLimiter;
import dev.parley.user.UserService;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Who may put whom into a group, and how often: the one rule behind creating a group and adding members.
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

    GroupAdmission(UserService users, RateLimiter limits) {
        this.users = users;
        this.limits = limits;
    }

    /**
     * Before {@code caller} creates a group with {@code members} (the caller not among them). Throws USER_BLOCKED,
     * RATE_LIMIT_EXCEEDED, VALIDATION_FAILED (more members than the hourly allowance).
     */
    void creating(UUID caller, Collection<UUID> members) {
        refuseBlocked(caller, members, "participant_ids");
        limits.acquire(caller, RateLimit.GROUP_CREATE);
        limits.acquire(caller, RateLimit.MEMBER_ADD, members.size());
    }

    /**
     * Before {@code caller} adds {@code joining} (users not in the group now) to a group. Throws USER_BLOCKED,
     * RATE_LIMIT_EXCEEDED, VALIDATION_FAILED (more users than the hourly allowance).
     */
    void adding(UUID caller, Collection<UUID> joining) {
        refuseBlocked(caller, joining, "user_ids");
        limits.acquire(caller, RateLimit.MEMBER_ADD, joining.size());
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

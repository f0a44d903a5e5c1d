package dev.parley.user;

import dev.parley.common.ErrorCode;
import dev.parley.common.Ids;
import dev.parley.common.ParleyException;
import dev.parley.common.Text;
import dev.parley.moderation.RateLimit;
import dev.parley.moderation.RateLimiter;
import dev.parley.screening.ContentScreen;
import dev.parley.screening.ScreenedField;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/** Profiles, prefix search and blocking. */
@Service
public class UserService {

    public static final int SEARCH_LIMIT = 20;

    private final UserRepository users;
    private final BlockRepository blocks;
    private final ContentScreen screen;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final RateLimiter limiter;

    UserService(
            UserRepository users,
            BlockRepository blocks,
            ContentScreen screen,
            ApplicationEventPublisher events,
            Clock clock,
            RateLimiter limiter) {
        this.users = users;
        this.blocks = blocks;
        this.screen = screen;
        this.events = events;
        this.clock = clock;
        this.limiter = limiter;
    }

    /** Creates a password user. Throws CONFLICT when the username is taken, CONTENT_REJECTED for the name. */
    public UserView register(String username, String displayName, String passwordHash) {
        Instant now = clock.instant();
        UUID id = Ids.uuidV7(now.toEpochMilli());
        String name = displayName == null || displayName.isBlank()
                ? username
                : screen.text(null, ScreenedField.DISPLAY_NAME, displayName.strip());
        if (!users.insert(id, username, name, passwordHash, now)) {
            throw new ParleyException(ErrorCode.CONFLICT, "Username is already taken", Map.of("field", "username"));
        }
        return new UserView(id, username, name, null);
    }

    /** A password user's hash and standing. */
    public record PasswordCredentials(String passwordHash, AccountStanding standing) {}

    /** The credentials behind a username, if such a password user exists. */
    public Optional<PasswordCredentials> credentials(String username) {
        return users.credentials(username)
                .filter(c -> c.passwordHash() != null)
                .map(c -> new PasswordCredentials(c.passwordHash(), c.standing()));
    }

    /** The credentials of a password user; empty for a user without a password or without a row. */
    public Optional<PasswordCredentials> credentials(UUID id) {
        return users.credentials(id)
                .filter(c -> c.passwordHash() != null)
                .map(c -> new PasswordCredentials(c.passwordHash(), c.standing()));
    }

    /** Whether the user may be let in; a user without a row counts as deleted. */
    public AccountStanding standing(UUID id) {
        return users.credentials(id)
                .map(UserRepository.Credentials::standing)
                .orElseGet(() -> AccountStanding.gone(id));
    }

    /** Replaces a password user's hash; false when the user has no password (or no row). */
    public boolean changePasswordHash(UUID id, String passwordHash) {
        return users.updatePasswordHash(id, passwordHash, clock.instant());
    }

    /** Finds or creates the user an external identity provider vouches for. */
    public UUID provisionExternal(String issuer, String subject, String username, String displayName, String photoUrl) {
        return users.upsertExternal(issuer, subject, username, displayName, photoUrl, clock.instant());
    }

    /**
     * A user as administration sees them: the profile, where an admin role could come from (granted by an admin,
     * or vouched for by the host app's token), and their standing. {@code suspendedUntil} may lie in the past.
     */
    public record AccountFacts(
            UserView user,
            boolean adminGranted,
            boolean adminClaimed,
            boolean deleted,
            Instant suspendedUntil,
            String suspensionReason,
            Instant createdAt) {}

    /** Throws USER_NOT_FOUND. */
    public AccountFacts accountFacts(UUID id) {
        return users.accountFacts(id).orElseThrow(ParleyException::userNotFound);
    }

    /** Grants or withdraws the admin role an admin gives. Throws USER_NOT_FOUND (unknown or deleted). */
    public void setAdminGranted(UUID id, boolean granted) {
        if (!users.setAdminGranted(id, granted, clock.instant())) {
            throw ParleyException.userNotFound();
        }
    }

    /** Whether the host app's token says the user is an admin (integration mode's admin claim). */
    public void setExternalAdmin(UUID id, boolean admin) {
        users.setExternalAdmin(id, admin);
    }

    /**
     * Suspends the user until {@code until} (null: until unsuspended). Their tokens, sockets and event streams end
     * within seconds on every node; login and refresh answer ACCOUNT_SUSPENDED. Throws USER_NOT_FOUND.
     */
    public void suspend(UUID id, Instant until, String reason) {
        if (!users.suspend(id, until == null ? AccountStanding.INDEFINITE : until, reason, clock.instant())) {
            throw ParleyException.userNotFound();
        }
    }

    /** Ends a suspension; the user may log in and refresh again. Throws USER_NOT_FOUND. */
    public void unsuspend(UUID id) {
        if (!users.unsuspend(id, clock.instant())) {
            throw ParleyException.userNotFound();
        }
    }

    /** Throws USER_NOT_FOUND. */
    public UserView get(UUID id) {
        return users.find(id).orElseThrow(ParleyException::userNotFound);
    }

    public Map<UUID, UserView> getAll(Collection<UUID> ids) {
        return users.findAll(ids).stream().collect(Collectors.toMap(UserView::userId, Function.identity()));
    }

    /** Throws USER_NOT_FOUND when the id names no user. */
    public void requireExists(UUID id) {
        if (!users.exists(id)) {
            throw ParleyException.userNotFound();
        }
    }

    /** An empty profile_photo_url clears the photo. Throws USER_NOT_FOUND, CONTENT_REJECTED. */
    public UserView updateProfile(UUID caller, UpdateProfileRequest request) {
        String photo = request.profilePhotoUrl();
        boolean clearPhoto = photo != null && photo.isEmpty();
        String displayName =
                request.displayName() == null ? null : request.displayName().strip();
        if (displayName != null && displayName.isEmpty()) {
            throw ParleyException.validation("display_name", "display_name must not be blank");
        }
        if (displayName != null) {
            displayName = screen.text(caller, ScreenedField.DISPLAY_NAME, displayName);
        }
        return users.update(caller, displayName, clearPhoto ? null : photo, clearPhoto, clock.instant())
                .orElseThrow(ParleyException::userNotFound);
    }

    /** Throws VALIDATION_FAILED for a blank query, RATE_LIMIT_EXCEEDED past the caller's user-search allowance. */
    public List<UserView> search(UUID caller, String query) {
        String prefix = query == null ? "" : Text.requireStorable("query", query.strip());
        if (prefix.isEmpty()) {
            throw ParleyException.validation("query", "query must not be blank");
        }
        limiter.acquire(caller, RateLimit.USER_SEARCH);
        return users.searchPrefix(caller, prefix, SEARCH_LIMIT);
    }

    /** Throws USER_NOT_FOUND, or VALIDATION_FAILED for blocking oneself. */
    public void block(UUID caller, UUID target) {
        if (caller.equals(target)) {
            throw ParleyException.validation("user_id", "You cannot block yourself");
        }
        requireExists(target);
        blocks.block(caller, target, clock.instant());
        events.publishEvent(new UserBlocked(caller, target));
    }

    /** Throws USER_NOT_FOUND. */
    public void unblock(UUID caller, UUID target) {
        requireExists(target);
        blocks.unblock(caller, target);
        events.publishEvent(new UserUnblocked(caller, target));
    }

    public List<UserView> blocked(UUID caller) {
        return blocks.blockedBy(caller);
    }

    /** The users who blocked {@code user}. */
    public Set<UUID> blockersOf(UUID user) {
        return blocks.blockersOf(user);
    }

    /** As {@link #blockersOf(UUID)} for several users at once, by blocked user. */
    public Map<UUID, Set<UUID>> blockersOf(Collection<UUID> users) {
        return users.isEmpty() ? Map.of() : blocks.blockersOf(users);
    }

    /** Those of {@code others} who blocked {@code user}, or whom {@code user} blocked. */
    public Set<UUID> blockedEitherWay(UUID user, Collection<UUID> others) {
        return blocks.blockedEitherWay(user, others);
    }

    /** Everyone {@code user} blocked or was blocked by: who may not see their presence, nor they them. */
    public Set<UUID> blockedEitherWay(UUID user) {
        return blocks.eitherWay(user);
    }

    /**
     * How the host app knows each of {@code ids}: the subject of its token for users it provisioned (integration
     * mode); users of Parley's own accounts are left out.
     */
    public Map<UUID, String> hostIds(Collection<UUID> ids) {
        return ids.isEmpty() ? Map.of() : users.externalSubjects(ids);
    }

    /** Whether either user blocked the other. */
    public boolean eitherBlocks(UUID a, UUID b) {
        return blocks.eitherBlocks(a, b);
    }
}

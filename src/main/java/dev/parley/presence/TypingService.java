package dev.parley.presence;

import dev.parley.common.ErrorCode;
import dev.parley.common.ParleyException;
import dev.parley.membership.Membership;
import dev.parley.membership.MembershipService;
import dev.parley.moderation.RateLimit;
import dev.parley.moderation.RateLimiter;
import dev.parley.user.UserService;
import dev.parley.user.UserView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/**
 * Typing indicators: a state lasts {@link #TTL} unless renewed, and stops early on request or on sending. Members
 * hear of a start when it is new, and of renewals at most every {@link #ANNOUNCE_EVERY} (clients keep showing an
 * indicator for its whole TTL); renewals in between only extend the state in the store.
 */
@Service
public class TypingService {

    public static final Duration TTL = Duration.ofSeconds(10);

    /** Half the TTL: an indicator renewed by a typing user never lapses on the members' screens. */
    public static final Duration ANNOUNCE_EVERY = TTL.dividedBy(2);

    /** One typing participant. */
    public record Typing(UUID userId, String username, String displayName, Instant expiresAt) {}

    public record TypingList(UUID conversationId, List<Typing> typing) {}

    private final TypingStore store;
    private final MembershipService access;
    private final UserService users;
    private final RateLimiter limiter;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    TypingService(
            TypingStore store,
            MembershipService access,
            UserService users,
            RateLimiter limiter,
            ApplicationEventPublisher events,
            Clock clock) {
        this.store = store;
        this.limiter = limiter;
        this.events = events;
        this.access = access;
        this.users = users;
        this.clock = clock;
    }

    /**
     * Throws RATE_LIMIT_EXCEEDED (checked first: a flood costs no query), CONVERSATION_NOT_FOUND, USER_BLOCKED
     * (direct conversation with a block between the two).
     */
    public Instant start(UUID caller, UUID conversationId) {
        return start(caller, conversationId, null);
    }

    /** As {@link #start(UUID, UUID)}, from a device's socket: {@code origin}, its device id, is not told. */
    public Instant start(UUID caller, UUID conversationId, String origin) {
        limiter.acquire(caller, RateLimit.TYPING);
        Membership membership = access.requireMember(conversationId, caller);
        if (membership.blocked()) {
            throw new ParleyException(ErrorCode.USER_BLOCKED, "You cannot message this user");
        }
        Instant now = clock.instant();
        Instant until = now.plus(TTL);
        if (store.start(conversationId, caller, now, until, ANNOUNCE_EVERY)) {
            events.publishEvent(new TypingChanged(
                    conversationId, caller, membership.member().username(), true, origin));
        }
        return until;
    }

    /** Idempotent. Throws RATE_LIMIT_EXCEEDED, CONVERSATION_NOT_FOUND. */
    public void stop(UUID caller, UUID conversationId) {
        stop(caller, conversationId, null);
    }

    /** As {@link #stop(UUID, UUID)}, from a device's socket: {@code origin}, its device id, is not told. */
    public void stop(UUID caller, UUID conversationId, String origin) {
        limiter.acquire(caller, RateLimit.TYPING);
        Membership membership = access.requireMember(conversationId, caller);
        if (store.stop(conversationId, caller)) {
            events.publishEvent(new TypingChanged(
                    conversationId, caller, membership.member().username(), false, origin));
        }
    }

    /** Who else is typing now. Throws CONVERSATION_NOT_FOUND. */
    public TypingList typing(UUID caller, UUID conversationId) {
        access.requireMember(conversationId, caller);
        Map<UUID, Instant> typing = new HashMap<>(store.typing(conversationId, clock.instant()));
        typing.remove(caller);
        Map<UUID, UserView> profiles = users.getAll(typing.keySet());
        List<Typing> list = typing.entrySet().stream()
                .filter(e -> profiles.containsKey(e.getKey()))
                .map(e -> {
                    UserView u = profiles.get(e.getKey());
                    return new Typing(u.userId(), u.username(), u.displayName(), e.getValue());
                })
                .sorted(Comparator.comparing(Typing::username))
                .toList();
        return new TypingList(conversationId, list);
    }
}

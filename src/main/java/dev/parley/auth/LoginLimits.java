package dev.parley.auth;

import dev.parley.moderation.RateLimit;
import dev.parley.moderation.RateLimitProperties;
import dev.parley.moderation.RateLimiter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The limits on password checks and sign-ups, taken before any slow hash runs. Each throws RATE_LIMIT_EXCEEDED (429
 * with Retry-After) and takes nothing when it refuses.
 *
 * <p>Per address (an IPv6 address by its /64, see {@link ClientOrigin#network()}): logins for one username (so a
 * guesser locks out only their own address), logins for any usernames, and registrations. Per account, from
 * addresses new to it: a guesser who rotates addresses (a botnet, or a proxy chain) still shares one allowance per
 * account, which refills evenly; the user's own addresses, those their sessions were created from, are exempt, so
 * the account cannot be locked out everywhere by strangers.
 */
@Component
class LoginLimits {

    private final RateLimiter limiter;
    private final RateLimitProperties limits;
    private final SessionRepository sessions;

    LoginLimits(RateLimiter limiter, RateLimitProperties limits, SessionRepository sessions) {
        this.limiter = limiter;
        this.limits = limits;
        this.sessions = sessions;
    }

    /** Throws RATE_LIMIT_EXCEEDED. */
    void registration(ClientOrigin origin) {
        limiter.acquire(key("register:" + origin.network()), RateLimit.REGISTRATION);
    }

    /**
     * Before a login's password is checked; {@code userId} is the account the username names, or null for none (a
     * miss is limited the same way, so the answer says nothing of the username). Throws RATE_LIMIT_EXCEEDED.
     */
    void login(String username, UUID userId, ClientOrigin origin) {
        String network = origin.network();
        String name = username.toLowerCase(Locale.ROOT);
        limiter.acquire(key("address:" + network), RateLimit.LOGIN_FROM_ADDRESS);
        limiter.acquire(key(name + "@" + network), RateLimit.LOGIN_ATTEMPT);
        if (limits.quota(RateLimit.LOGIN_ACCOUNT).isPresent()
                && (userId == null
                        || origin.address() == null
                        || !sessions.knownAddress(userId, origin.addressOrEmpty()))) {
            limiter.acquire(key("account:" + name), RateLimit.LOGIN_ACCOUNT);
        }
    }

    /** Before a password change checks the current password: the login allowance, per account. */
    void passwordCheck(UUID userId) {
        limiter.acquire(key("password:" + userId), RateLimit.LOGIN_ATTEMPT);
    }

    /**
     * The limiter counts per user id; a login has only a username (which may name nobody) and an address. A
     * name-based UUID gives each its own allowance without a lookup, and being version 3 it never equals a user's
     * id (4 or 7).
     */
    static UUID key(String subject) {
        return UUID.nameUUIDFromBytes(("login:" + subject).getBytes(StandardCharsets.UTF_8));
    }
}

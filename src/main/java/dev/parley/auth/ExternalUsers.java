package dev.parley.auth;

import dev.parley.user.UserService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Maps a verified external identity to its Parley user without a database round trip on every request. An
 * entry is reused while the token's profile claims are the ones last written and the entry is younger than
 * {@code refreshAfter}; otherwise the user is provisioned again, which writes changed profile claims and also
 * notices a user removed from the database meanwhile. A suspended or deleted user is refused (and that refusal
 * remembered the same way); a revocation of the user drops their entries at once (see {@link #forget}), since a
 * host app may go on issuing them fresh tokens that no revocation of past tokens covers.
 */
final class ExternalUsers {

    private record Key(String issuer, String subject) {}

    private record Cached(UUID userId, ExternalProfile profile, Instant provisionedAt, boolean barred) {}

    private final UserService users;
    private final Clock clock;
    private final Duration refreshAfter;
    private final Map<Key, Cached> cache;
    /** Counts {@link #forget} calls, so that a lookup racing one does not remember what it read. */
    private final AtomicLong forgets = new AtomicLong();

    ExternalUsers(UserService users, Clock clock, Duration refreshAfter, int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalStateException("parley.auth.jwks.user-cache-size must be at least 1");
        }
        this.users = users;
        this.clock = clock;
        this.refreshAfter = refreshAfter;
        // Access-ordered, so the least recently seen identity goes first once the bound is reached.
        this.cache = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Cached> eldest) {
                return size() > maxEntries;
            }
        };
    }

    /** The user, or empty when they are suspended or deleted. */
    Optional<UUID> resolve(ExternalProfile profile) {
        Key key = new Key(profile.issuer(), profile.subject());
        Instant now = clock.instant();
        Cached cached;
        synchronized (cache) {
            cached = cache.get(key);
        }
        boolean fresh = cached != null
                && cached.profile().equals(profile)
                && cached.provisionedAt().plus(refreshAfter).isAfter(now);
        if (!fresh) {
            long generation = forgets.get();
            // Outside the lock: two requests of one new user may both provision, which the upsert tolerates.
            UUID userId = users.provisionExternal(
                    profile.issuer(), profile.subject(), profile.username(), profile.displayName(), profile.photoUrl());
            cached = new Cached(userId, profile, now, !users.standing(userId).activeAt(now));
            synchronized (cache) {
                // A revocation while we read may not be in what we read: then remember nothing.
                if (forgets.get() == generation) {
                    cache.put(key, cached);
                }
            }
        }
        return cached.barred() ? Optional.empty() : Optional.of(cached.userId());
    }

    /** Access of the user was revoked: look them up again next time. */
    void forget(UUID userId) {
        synchronized (cache) {
            forgets.incrementAndGet();
            cache.values().removeIf(entry -> entry.userId().equals(userId));
        }
    }

    int size() {
        synchronized (cache) {
            return cache.size();
        }
    }
}

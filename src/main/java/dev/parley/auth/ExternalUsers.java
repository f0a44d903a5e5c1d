package dev.parley.auth;

import dev.parley.user.UserService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Maps a verified external identity to its Parley user without a database round trip on every request. An
 * entry is reused while the token's profile claims are the ones last written and the entry is younger than
 * {@code refreshAfter}; otherwise the user is provisioned again, which writes changed profile claims and also
 * notices a user removed from the database meanwhile.
 */
final class ExternalUsers {

    private record Key(String issuer, String subject) {
    }

    private record Cached(UUID userId, ExternalProfile profile, Instant provisionedAt) {
    }

    private final UserService users;
    private final Clock clock;
    private final Duration refreshAfter;
    private final Map<Key, Cached> cache;

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

    UUID resolve(ExternalProfile profile) {
        Key key = new Key(profile.issuer(), profile.subject());
        Instant now = clock.instant();
        Cached cached;
        synchronized (cache) {
            cached = cache.get(key);
        }
        if (cached != null && cached.profile().equals(profile) && cached.provisionedAt().plus(refreshAfter).isAfter(now)) {
            return cached.userId();
        }
        // Outside the lock: two requests of one new user may both provision, which the upsert tolerates.
        UUID userId = users.provisionExternal(profile.issuer(), profile.subject(), profile.username(),
                profile.displayName(), profile.photoUrl());
        synchronized (cache) {
            cache.put(key, new Cached(userId, profile, now));
        }
        return userId;
    }

    int size() {
        synchronized (cache) {
            return cache.size();
        }
    }
}

package dev.parley.presence;

import dev.parley.common.redis.RedisConditions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.annotation.Conditional;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** The single-node typing store: expired states are skipped on read and swept once a minute. */
@Component
@Conditional(RedisConditions.NotConfigured.class)
class InMemoryTypingStore implements TypingStore {

    /** One user's state in one conversation: until when, and when the members last heard of it. */
    private record State(Instant until, Instant announced) {}

    private final Map<UUID, Map<UUID, State>> byConversation = new ConcurrentHashMap<>();
    private final Clock clock;

    InMemoryTypingStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public boolean start(UUID conversationId, UUID userId, Instant now, Instant expiresAt, Duration announceEvery) {
        boolean[] announce = {false};
        byConversation
                .computeIfAbsent(conversationId, k -> new ConcurrentHashMap<>())
                .compute(userId, (k, old) -> {
                    announce[0] = old == null
                            || !old.until().isAfter(now)
                            || !old.announced().plus(announceEvery).isAfter(now);
                    return new State(expiresAt, announce[0] ? now : old.announced());
                });
        return announce[0];
    }

    @Override
    public boolean stop(UUID conversationId, UUID userId) {
        Map<UUID, State> users = byConversation.get(conversationId);
        return users != null && users.remove(userId) != null;
    }

    @Override
    public Map<UUID, Instant> typing(UUID conversationId, Instant now) {
        Map<UUID, State> users = byConversation.get(conversationId);
        if (users == null) {
            return Map.of();
        }
        Map<UUID, Instant> live = new HashMap<>();
        users.forEach((user, state) -> {
            if (state.until().isAfter(now)) {
                live.put(user, state.until());
            }
        });
        return live;
    }

    @Scheduled(fixedDelayString = "PT1M")
    void sweep() {
        Instant now = clock.instant();
        byConversation
                .values()
                .forEach(
                        users -> users.values().removeIf(state -> !state.until().isAfter(now)));
        byConversation.values().removeIf(Map::isEmpty);
    }
}

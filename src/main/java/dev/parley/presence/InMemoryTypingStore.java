package dev.parley.presence;

import dev.parley.config.RedisConfig;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.annotation.Conditional;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** The single-node typing store: expired states are skipped on read and swept once a minute. */
@Component
@Conditional(RedisConfig.NotConfigured.class)
class InMemoryTypingStore implements TypingStore {

    private final Map<UUID, Map<UUID, Instant>> byConversation = new ConcurrentHashMap<>();
    private final Clock clock;

    InMemoryTypingStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void start(UUID conversationId, UUID userId, Instant expiresAt) {
        byConversation.computeIfAbsent(conversationId, k -> new ConcurrentHashMap<>()).put(userId, expiresAt);
    }

    @Override
    public boolean stop(UUID conversationId, UUID userId) {
        Map<UUID, Instant> users = byConversation.get(conversationId);
        return users != null && users.remove(userId) != null;
    }

    @Override
    public Map<UUID, Instant> typing(UUID conversationId, Instant now) {
        Map<UUID, Instant> users = byConversation.get(conversationId);
        if (users == null) {
            return Map.of();
        }
        Map<UUID, Instant> live = new java.util.HashMap<>();
        users.forEach((user, until) -> {
            if (until.isAfter(now)) {
                live.put(user, until);
            }
        });
        return live;
    }

    @Scheduled(fixedDelayString = "PT1M")
    void sweep() {
        Instant now = clock.instant();
        byConversation.values().forEach(users -> users.values().removeIf(until -> !until.isAfter(now)));
        byConversation.values().removeIf(Map::isEmpty);
    }
}

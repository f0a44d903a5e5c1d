package dev.parley.realtime;

import dev.parley.common.ChatMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The sockets open on this node, by user (a user has one per device). Lookups, one per recipient of every event,
 * read an immutable list; connects and disconnects replace it.
 */
@Component
class SessionRegistry {

    private final Map<UUID, List<Connection>> byUser = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();
    private final long heartbeatNanos;
    private final long idleNanos;

    SessionRegistry(ChatMetrics metrics, RealtimeProperties properties) {
        this.heartbeatNanos = properties.heartbeatInterval().toNanos();
        this.idleNanos = properties.idleTimeout().toNanos();
        metrics.activeConnections(count::get);
    }

    void add(Connection connection) {
        byUser.compute(connection.userId(), (user, list) -> {
            List<Connection> out = list == null ? new ArrayList<>(1) : new ArrayList<>(list);
            out.add(connection);
            return List.copyOf(out);
        });
        count.incrementAndGet();
    }

    void remove(Connection connection) {
        byUser.computeIfPresent(connection.userId(), (user, list) -> {
            if (!list.contains(connection)) {
                return list;
            }
            count.decrementAndGet();
            List<Connection> out = new ArrayList<>(list);
            out.remove(connection);
            return out.isEmpty() ? null : List.copyOf(out);
        });
    }

    /** The user's open sockets on this node. */
    List<Connection> of(UUID userId) {
        return byUser.getOrDefault(userId, List.of());
    }

    int count() {
        return count.get();
    }

    /** Heartbeats, idle timeouts and stalled writes; often enough that a stalled write is noticed within seconds. */
    @Scheduled(fixedDelay = 2_000, initialDelay = 2_000)
    void sweep() {
        long now = System.nanoTime();
        byUser.values().forEach(list -> list.forEach(c -> c.check(now, heartbeatNanos, idleNanos)));
    }
}

package dev.parley.realtime.gateway;

import dev.parley.common.ChatMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
public class SessionRegistry {

    /** Told when a user's first socket on this node opens and when their last one closes. */
    public interface Listener {

        void firstOpened(UUID userId);

        void lastClosed(UUID userId);
    }

    private static final Listener NONE = new Listener() {
        @Override
        public void firstOpened(UUID userId) {}

        @Override
        public void lastClosed(UUID userId) {}
    };

    private final Map<UUID, List<Connection>> byUser = new ConcurrentHashMap<>();
    /** This node among several: device ids and cross-node messages carry it. */
    private final String node = UUID.randomUUID().toString();

    private volatile Listener listener = NONE;
    private final AtomicInteger count = new AtomicInteger();
    private final long heartbeatNanos;
    private final long idleNanos;

    SessionRegistry(ChatMetrics metrics, RealtimeProperties properties) {
        this.heartbeatNanos = properties.heartbeatInterval().toNanos();
        this.idleNanos = properties.idleTimeout().toNanos();
        metrics.activeConnections(count::get);
    }

    public String node() {
        return node;
    }

    /** A connection's device id, unique across nodes (socket ids are only unique within one server). */
    String device(Connection connection) {
        return node + "/" + connection.id();
    }

    /**
     * The socket id on this node of a device id made by {@link #device}; null for another node's device or none.
     * Fan-out asks once per event, then compares socket ids, which costs nothing per recipient.
     */
    public String localSocket(String device) {
        boolean here = device != null
                && device.length() > node.length() + 1
                && device.startsWith(node)
                && device.charAt(node.length()) == '/';
        return here ? device.substring(node.length() + 1) : null;
    }

    /** Called inside the per-user update, so a user's first-opened and last-closed calls never cross. */
    public void listen(Listener listener) {
        this.listener = listener == null ? NONE : listener;
    }

    /**
     * Registers the connection unless its user already has {@code max} (0: no cap) on this node; false then. Decided
     * inside the per-user update, so handshakes that raced past {@link SocketCap} cannot exceed the cap together.
     */
    boolean add(Connection connection, int max) {
        boolean[] added = {false};
        byUser.compute(connection.userId(), (user, list) -> {
            if (max > 0 && list != null && list.size() >= max) {
                return list;
            }
            if (list == null) {
                listener.firstOpened(user);
            }
            List<Connection> out = list == null ? new ArrayList<>(1) : new ArrayList<>(list);
            out.add(connection);
            added[0] = true;
            return List.copyOf(out);
        });
        if (added[0]) {
            count.incrementAndGet();
        }
        return added[0];
    }

    /** Unregisters the connection; false when it was not registered (refused by the cap, or removed already). */
    boolean remove(Connection connection) {
        boolean[] removed = {false};
        byUser.computeIfPresent(connection.userId(), (user, list) -> {
            if (!list.contains(connection)) {
                return list;
            }
            removed[0] = true;
            count.decrementAndGet();
            List<Connection> out = new ArrayList<>(list);
            out.remove(connection);
            if (out.isEmpty()) {
                listener.lastClosed(user);
                return null;
            }
            return List.copyOf(out);
        });
        return removed[0];
    }

    /** The user's open sockets on this node. */
    public List<Connection> of(UUID userId) {
        return byUser.getOrDefault(userId, List.of());
    }

    /** The users with at least one socket on this node. */
    public Set<UUID> users() {
        return byUser.keySet();
    }

    /** Heartbeats, idle timeouts and stalled writes; often enough that a stalled write is noticed within seconds. */
    @Scheduled(fixedDelay = 2_000, initialDelay = 2_000)
    void sweep() {
        long now = System.nanoTime();
        byUser.values().forEach(list -> list.forEach(c -> c.check(now, heartbeatNanos, idleNanos)));
    }
}

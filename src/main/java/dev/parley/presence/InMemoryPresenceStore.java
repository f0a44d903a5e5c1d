package dev.parley.presence;

import dev.parley.config.RedisConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.annotation.Conditional;
import org.springframework.stereotype.Component;

/** The single-node presence store: per-user state updated under the map's per-key lock. */
@Component
@Conditional(RedisConfig.NotConfigured.class)
class InMemoryPresenceStore implements PresenceStore {

    private record Device(Instant expiresAt, boolean away) {
    }

    private static final class State {
        final Map<String, Device> devices = new HashMap<>();
        String status = OFFLINE;
        Instant lastSeenAt;

        /** Drops expired devices and recomputes the status; returns the status before. */
        String settle(Instant now) {
            String before = status;
            devices.values().removeIf(d -> !d.expiresAt().isAfter(now));
            status = devices.isEmpty() ? OFFLINE
                    : devices.values().stream().allMatch(Device::away) ? AWAY : ONLINE;
            return before;
        }

        Snapshot snapshot() {
            return new Snapshot(status, devices.size(), lastSeenAt);
        }
    }

    private final Map<UUID, State> users = new ConcurrentHashMap<>();

    @Override
    public Change update(UUID userId, String device, Update update, Instant now, Duration ttl) {
        Change[] change = new Change[1];
        users.compute(userId, (id, state) -> {
            State s = state == null ? new State() : state;
            String before = s.status;
            s.settle(now);
            if (update == Update.GONE) {
                s.devices.remove(device);
            } else {
                Device previous = s.devices.get(device);
                boolean away = update == Update.AWAY || update == Update.KEEP && previous != null && previous.away();
                s.devices.put(device, new Device(now.plus(ttl), away));
            }
            s.lastSeenAt = now;
            s.settle(now);
            change[0] = new Change(userId, before, s.snapshot());
            return s;
        });
        return change[0];
    }

    @Override
    public List<Change> expire(Instant now) {
        List<Change> changes = new ArrayList<>();
        for (UUID userId : users.keySet()) {
            users.computeIfPresent(userId, (id, s) -> {
                String before = s.settle(now);
                if (!before.equals(s.status)) {
                    changes.add(new Change(userId, before, s.snapshot()));
                }
                // Offline users are forgotten here: their last_seen_at is in PostgreSQL.
                return s.devices.isEmpty() ? null : s;
            });
        }
        return changes;
    }

    @Override
    public Snapshot current(UUID userId, Instant now) {
        Snapshot[] out = {new Snapshot(OFFLINE, 0, null)};
        // Under the key's lock, as updates are; read-only: a transition found here is left to expire().
        users.computeIfPresent(userId, (id, s) -> {
            List<Device> live = s.devices.values().stream().filter(d -> d.expiresAt().isAfter(now)).toList();
            out[0] = new Snapshot(live.isEmpty() ? OFFLINE : live.stream().allMatch(Device::away) ? AWAY : ONLINE,
                    live.size(), s.lastSeenAt);
            return s;
        });
        return out[0];
    }
}

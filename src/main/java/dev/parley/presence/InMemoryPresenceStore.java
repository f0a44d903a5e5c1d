package dev.parley.presence;

import dev.parley.common.redis.RedisConditions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.annotation.Conditional;
import org.springframework.stereotype.Component;

/** The single-node presence store: per-user state updated under the map's per-key lock. */
@Component
@Conditional(RedisConditions.NotConfigured.class)
class InMemoryPresenceStore implements PresenceStore {

    private record Device(Instant expiresAt, boolean away) {}

    private final Map<UUID, State> users = new ConcurrentHashMap<>();
    private final Duration debounce;
    private final Duration offlineGrace;

    InMemoryPresenceStore(PresenceProperties properties) {
        this.debounce = properties.debounce();
        this.offlineGrace = properties.offlineGrace();
    }

    private final class State {
        final Map<String, Device> devices = new HashMap<>();
        /** The status last announced, and when (null: never). */
        String announced = OFFLINE;

        Instant announcedAt;
        /** Since when the user has had no device while announced otherwise (null: has devices). */
        Instant offlineSince;

        Instant lastSeenAt;
        /** When {@link #expire} should look again: a device's expiry or an announcement due (null: never). */
        volatile Instant due;

        /**
         * Until when a device not away keeps the user online (null: none), set by every settle: {@link
         * #onlineAmong} reads it without the key's lock.
         */
        volatile Instant onlineUntil;

        /**
         * Drops expired devices and announces the status they make when {@link #debounce} (and, for offline,
         * {@link #offlineGrace}) allow; returns the announced status before and the presence after.
         */
        Change settle(UUID userId, Instant now) {
            devices.values().removeIf(d -> !d.expiresAt().isAfter(now));
            String live =
                    devices.isEmpty() ? OFFLINE : devices.values().stream().allMatch(Device::away) ? AWAY : ONLINE;
            offlineSince = !live.equals(OFFLINE) ? null : offlineSince == null ? now : offlineSince;
            String before = announced;
            Instant pending = null;
            if (!live.equals(announced)) {
                Instant ready = announcedAt == null ? now : announcedAt.plus(debounce);
                if (offlineSince != null && offlineSince.plus(offlineGrace).isAfter(ready)) {
                    ready = offlineSince.plus(offlineGrace);
                }
                if (ready.isAfter(now)) {
                    pending = ready;
                } else {
                    announced = live;
                    announcedAt = now;
                }
            }
            Instant next = pending;
            Instant online = null;
            for (Device device : devices.values()) {
                next = next == null || device.expiresAt().isBefore(next) ? device.expiresAt() : next;
                if (!device.away() && (online == null || device.expiresAt().isAfter(online))) {
                    online = device.expiresAt();
                }
            }
            due = next;
            onlineUntil = online;
            return new Change(userId, before, new Snapshot(announced, devices.size(), lastSeenAt));
        }
    }

    @Override
    public Change update(UUID userId, String device, Update update, Instant now, Duration ttl) {
        Change[] change = new Change[1];
        users.compute(userId, (id, state) -> {
            State s = state == null ? new State() : state;
            s.devices.values().removeIf(d -> !d.expiresAt().isAfter(now));
            if (update == Update.GONE) {
                s.devices.remove(device);
            } else {
                Device previous = s.devices.get(device);
                boolean away = update == Update.AWAY || update == Update.KEEP && previous != null && previous.away();
                s.devices.put(device, new Device(now.plus(ttl), away));
            }
            s.lastSeenAt = now;
            change[0] = s.settle(userId, now);
            return s.devices.isEmpty() && s.due == null ? null : s;
        });
        return change[0];
    }

    @Override
    public List<Change> expire(Instant now) {
        List<Change> changes = new ArrayList<>();
        users.forEach((userId, state) -> {
            Instant due = state.due;
            if (due == null || due.isAfter(now)) {
                return;
            }
            users.computeIfPresent(userId, (id, s) -> {
                Change change = s.settle(userId, now);
                if (change.transition()) {
                    changes.add(change);
                }
                // Offline users are forgotten here: their last_seen_at is in PostgreSQL.
                return s.devices.isEmpty() && s.due == null ? null : s;
            });
        });
        return changes;
    }

    @Override
    public Set<UUID> onlineAmong(Collection<UUID> userIds, Instant now) {
        Set<UUID> online = new HashSet<>();
        for (UUID userId : userIds) {
            State state = users.get(userId);
            Instant until = state == null ? null : state.onlineUntil;
            if (until != null && until.isAfter(now)) {
                online.add(userId);
            }
        }
        return online;
    }

    @Override
    public Snapshot current(UUID userId, Instant now) {
        Snapshot[] out = {new Snapshot(OFFLINE, 0, null)};
        // Under the key's lock, as updates are; read-only: a transition found here is left to expire().
        users.computeIfPresent(userId, (id, s) -> {
            List<Device> live = s.devices.values().stream()
                    .filter(d -> d.expiresAt().isAfter(now))
                    .toList();
            out[0] = new Snapshot(
                    live.isEmpty() ? OFFLINE : live.stream().allMatch(Device::away) ? AWAY : ONLINE,
                    live.size(),
                    s.lastSeenAt);
            return s;
        });
        return out[0];
    }
}

package dev.parley.presence;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Each user's devices, each alive until its heartbeat expires. A user is {@code online} with at least one device
 * not marked away, {@code away} when every device is, {@code offline} with none. Changes of that status are
 * announced (recorded and told to contacts) at most once per {@link PresenceProperties#debounce} per user, and
 * offline only after {@link PresenceProperties#offlineGrace}: a status that changes back before its announcement
 * is due is never announced, one that stays is announced by {@link #expire} once due. Every update says whether to
 * announce, decided atomically so that of several nodes exactly one sees each transition. In process by default;
 * in Redis, with the same expiry, when several nodes run.
 */
public interface PresenceStore {

    String ONLINE = "online";
    String AWAY = "away";
    String OFFLINE = "offline";

    /** What a device says: here and active, here but away, here as before (a plain heartbeat), or gone. */
    enum Update {
        ONLINE,
        AWAY,
        KEEP,
        GONE
    }

    /** A user's presence; {@code lastSeenAt} is the last time any device was heard (null when never here). */
    record Snapshot(String status, int devices, Instant lastSeenAt) {}

    /**
     * The status last announced before an update, and the presence after it, whose status is the one to announce:
     * the same as {@code before} when there is nothing to announce (no change, or one not due yet).
     */
    record Change(UUID userId, String before, Snapshot after) {

        public boolean transition() {
            return !before.equals(after.status());
        }
    }

    /** Records what one device says; the device then lives for {@code ttl} unless heard again. */
    Change update(UUID userId, String device, Update update, Instant now, Duration ttl);

    /**
     * Drops expired devices and returns the announcements now due: users whose last device expired, and changes
     * held back by the debounce or the offline grace.
     */
    List<Change> expire(Instant now);

    /** The user's presence now, as their devices make it, without changing anything ({@code offline}, 0, null). */
    Snapshot current(UUID userId, Instant now);

    /**
     * Those of {@code userIds} whose devices make them {@code online} now (as {@link #current} would say), for
     * many users at once: the push rule asks this for every member of a batch of messages, so a shared store
     * answers them in one round trip's time rather than one each.
     */
    Set<UUID> onlineAmong(Collection<UUID> userIds, Instant now);

    /**
     * True when the store has lost what this node wrote since it last asked (a Redis restarted empty, or flushed),
     * so the node should register its devices again; an in-process store never loses anything.
     */
    default boolean lostSinceAsked() {
        return false;
    }
}

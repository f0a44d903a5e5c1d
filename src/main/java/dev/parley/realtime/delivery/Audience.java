package dev.parley.realtime.delivery;

import dev.parley.membership.MembershipService;
import dev.parley.user.UserBlocked;
import dev.parley.user.UserService;
import dev.parley.user.UserUnblocked;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Who receives a conversation's events: its active participants, less those who blocked the author of the event.
 * Both sets are cached so that an event costs no query in the usual case; membership changes and blocks on this
 * node drop the affected entry before anything else is delivered. A load that raced with such a change is not
 * kept (a generation number tells), so a stale set never outlives the change. On several nodes each change is
 * also handed to the {@link #broadcastTo broadcaster} (Redis) and applied by the other nodes through
 * {@link #forgetRemote}; while a node cannot hear those broadcasts ({@link #trustCache} false) it skips the cache
 * and asks the database, so a removed participant or a new block is never missed because Redis was away.
 */
@Component
public class Audience {

    static final int CACHE_LIMIT = 100_000;

    private final MembershipService access;
    private final UserService users;
    private final Cache participants;
    private final Cache blockers;
    private volatile Consumer<String> broadcaster = change -> {};

    Audience(MembershipService access, UserService users) {
        this.access = access;
        this.users = users;
        this.participants = new Cache(access::activeParticipantIds);
        this.blockers = new Cache(users::blockersOf);
    }

    /** Every active participant. */
    public Set<UUID> of(UUID conversationId) {
        return participants.get(conversationId);
    }

    /** Every active participant who has not blocked {@code author}. */
    Set<UUID> of(UUID conversationId, UUID author) {
        Set<UUID> members = participants.get(conversationId);
        Set<UUID> blocking = blockers.get(author);
        if (blocking.isEmpty()) {
            return members;
        }
        Set<UUID> out = new HashSet<>(members);
        out.removeAll(blocking);
        return out;
    }

    /**
     * Who hears of {@code userId}'s presence: everyone sharing a conversation with them, less those who blocked
     * them and those they blocked (the rule of {@code GET /users/{id}/presence}). Not cached: asked on announced
     * status changes only, which are debounced and rare.
     */
    Set<UUID> contactsOf(UUID userId) {
        Set<UUID> out = new HashSet<>(access.contactIds(userId));
        if (!out.isEmpty()) {
            out.removeAll(users.blockedEitherWay(userId));
        }
        return out;
    }

    /** Called before delivering a membership change, so that it and everything after it see the new members. */
    void membershipChanged(UUID conversationId) {
        participants.forget(conversationId);
        broadcaster.accept("c:" + conversationId);
    }

    @EventListener
    void on(UserBlocked event) {
        blockers.forget(event.blocked());
        broadcaster.accept("b:" + event.blocked());
    }

    @EventListener
    void on(UserUnblocked event) {
        blockers.forget(event.blocked());
        broadcaster.accept("b:" + event.blocked());
    }

    /** Where this node's changes go for the other nodes ({@code c:<conversation>} or {@code b:<user>}). */
    void broadcastTo(Consumer<String> broadcaster) {
        this.broadcaster = broadcaster;
    }

    /** Applies another node's change, as broadcast; an unreadable one clears everything, to be safe. */
    void forgetRemote(String change) {
        try {
            UUID id = UUID.fromString(change.substring(2));
            if (change.startsWith("c:")) {
                participants.forget(id);
            } else if (change.startsWith("b:")) {
                blockers.forget(id);
            } else {
                forgetAll();
            }
        } catch (RuntimeException e) {
            forgetAll();
        }
    }

    /**
     * False while this node may be missing other nodes' changes (Redis unreachable): every lookup then goes to
     * the database. Set back to true once broadcasts are heard again, after dropping whatever was cached.
     */
    void trustCache(boolean trusted) {
        participants.trusted = trusted;
        blockers.trusted = trusted;
        if (trusted) {
            forgetAll();
        }
    }

    private void forgetAll() {
        participants.forgetAll();
        blockers.forgetAll();
    }

    /** A bounded cache whose entries a concurrent {@link #forget} can never resurrect. */
    private static final class Cache {

        private final Map<UUID, Set<UUID>> entries = new ConcurrentHashMap<>();
        private final Function<UUID, Set<UUID>> loader;
        private final Object lock = new Object();
        private long generation;
        private volatile boolean trusted = true;

        Cache(Function<UUID, Set<UUID>> loader) {
            this.loader = loader;
        }

        Set<UUID> get(UUID key) {
            if (!trusted) {
                return loader.apply(key);
            }
            Set<UUID> found = entries.get(key);
            if (found != null) {
                return found;
            }
            long before;
            synchronized (lock) {
                before = generation;
            }
            Set<UUID> loaded = loader.apply(key);
            synchronized (lock) {
                if (generation == before && trusted) {
                    if (entries.size() >= CACHE_LIMIT) {
                        // Crude but bounded: a full cache starts over rather than tracking recency.
                        entries.clear();
                    }
                    entries.put(key, loaded);
                }
            }
            return loaded;
        }

        void forget(UUID key) {
            synchronized (lock) {
                generation++;
                entries.remove(key);
            }
        }

        void forgetAll() {
            synchronized (lock) {
                generation++;
                entries.clear();
            }
        }
    }
}

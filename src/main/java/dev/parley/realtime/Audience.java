package dev.parley.realtime;

import dev.parley.conversation.ConversationAccess;
import dev.parley.user.UserBlocked;
import dev.parley.user.UserService;
import dev.parley.user.UserUnblocked;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Who receives a conversation's events: its active participants, less those who blocked the author of the event.
 * Both sets are cached so that an event costs no query in the usual case; membership changes and blocks on this
 * node drop the affected entry before anything else is delivered. A load that raced with such a change is not
 * kept (a generation number tells), so a stale set never outlives the change. On several nodes each node's cache
 * only hears its own node's changes: a cross-node fan-out must broadcast these invalidations too.
 */
@Component
class Audience {

    static final int CACHE_LIMIT = 100_000;

    private final Cache participants;
    private final Cache blockers;

    Audience(ConversationAccess access, UserService users) {
        this.participants = new Cache(access::activeParticipantIds);
        this.blockers = new Cache(users::blockersOf);
    }

    /** Every active participant. */
    Set<UUID> of(UUID conversationId) {
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

    /** Called before delivering a membership change, so that it and everything after it see the new members. */
    void membershipChanged(UUID conversationId) {
        participants.forget(conversationId);
    }

    @EventListener
    void on(UserBlocked event) {
        blockers.forget(event.blocked());
    }

    @EventListener
    void on(UserUnblocked event) {
        blockers.forget(event.blocked());
    }

    /** A bounded cache whose entries a concurrent {@link #forget} can never resurrect. */
    private static final class Cache {

        private final Map<UUID, Set<UUID>> entries = new ConcurrentHashMap<>();
        private final Function<UUID, Set<UUID>> loader;
        private final Object lock = new Object();
        private long generation;

        Cache(Function<UUID, Set<UUID>> loader) {
            this.loader = loader;
        }

        Set<UUID> get(UUID key) {
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
                if (generation == before) {
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
    }
}

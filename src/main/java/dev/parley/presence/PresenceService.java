package dev.parley.presence;

import dev.parley.common.LogThrottle;
import dev.parley.common.ParleyException;
import dev.parley.common.UnavailableException;
import dev.parley.common.UnavailableException.Dependency;
import dev.parley.membership.MembershipService;
import dev.parley.moderation.RateLimit;
import dev.parley.moderation.RateLimiter;
import dev.parley.user.UserService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * Presence: each connected device keeps its user online while it is heard at least every {@link #DEVICE_TTL}
 * (clients heartbeat every 30–60 s; the gateway refreshes at most every {@link #REFRESH} per socket). Only
 * transitions are recorded in PostgreSQL and announced ({@link PresenceChanged}), debounced by the store
 * ({@link PresenceProperties}); heartbeats are not. Presence is a hint: a store failure is logged and never fails
 * the caller.
 */
@Service
public class PresenceService {

    /** Longer than the 60 s a client may wait between heartbeats, and than the gateway's 75 s idle timeout. */
    public static final Duration DEVICE_TTL = Duration.ofSeconds(90);

    /** The gateway refreshes a device on traffic at most this often. */
    public static final Duration REFRESH = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(PresenceService.class);

    private final PresenceStore store;
    private final PresenceRepository repository;
    private final UserService users;
    private final MembershipService access;
    private final RateLimiter limiter;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final LogThrottle liveFailures = new LogThrottle(Duration.ofMinutes(1));

    PresenceService(
            PresenceStore store,
            PresenceRepository repository,
            UserService users,
            MembershipService access,
            RateLimiter limiter,
            ApplicationEventPublisher events,
            Clock clock) {
        this.store = store;
        this.repository = repository;
        this.users = users;
        this.access = access;
        this.limiter = limiter;
        this.events = events;
        this.clock = clock;
    }

    /** A device connected: it counts as online until it says otherwise. */
    public void connected(UUID userId, String device) {
        update(userId, device, PresenceStore.Update.ONLINE);
    }

    /** A heartbeat: {@code away} true or false sets the device's state, null keeps it. */
    public void heartbeat(UUID userId, String device, Boolean away) {
        update(
                userId,
                device,
                away == null
                        ? PresenceStore.Update.KEEP
                        : away ? PresenceStore.Update.AWAY : PresenceStore.Update.ONLINE);
    }

    /**
     * A client's own {@code presence.heartbeat}: limited per user (each one writes the store), then as
     * {@link #heartbeat}. Throws RATE_LIMIT_EXCEEDED.
     */
    public void report(UUID userId, String device, Boolean away) {
        limiter.acquire(userId, RateLimit.PRESENCE);
        heartbeat(userId, device, away);
    }

    public void disconnected(UUID userId, String device) {
        update(userId, device, PresenceStore.Update.GONE);
    }

    /**
     * Registers a device again after the store lost it ({@link PresenceStoreLost}), as it was: nothing is
     * announced, since to everyone else the device never left.
     */
    public void restore(UUID userId, String device, boolean away) {
        try {
            store.update(
                    userId,
                    device,
                    away ? PresenceStore.Update.AWAY : PresenceStore.Update.ONLINE,
                    clock.instant(),
                    DEVICE_TTL);
        } catch (RuntimeException e) {
            log.warn("presence_restore_failed user_id={}: {}", userId, e.toString());
        }
    }

    /**
     * {@code userId}'s presence, for the user themself and for users who share an active conversation with them,
     * neither having blocked the other. Throws USER_NOT_FOUND, FORBIDDEN for anyone else, and SERVICE_UNAVAILABLE
     * while the store cannot be read (Redis down): a guessed "offline" would be wrong for everyone who is in fact
     * online.
     */
    public PresenceView presence(UUID caller, UUID userId) {
        users.requireExists(userId);
        if (!caller.equals(userId)
                && (!access.shareConversation(caller, userId) || users.eitherBlocks(caller, userId))) {
            throw ParleyException.forbidden("Presence is shown only to users who share a conversation");
        }
        PresenceStore.Snapshot now;
        try {
            now = store.current(userId, clock.instant());
        } catch (RuntimeException e) {
            // Logged by common/Outages, one line per interval however many reads fail.
            throw new UnavailableException(
                    Dependency.REDIS, "Presence is unavailable right now; try again", Duration.ofSeconds(5), e);
        }
        Instant seen = now.lastSeenAt();
        if (now.devices() == 0) {
            Instant stored = repository.lastSeen(userId).orElse(null);
            if (seen == null || stored != null && stored.isAfter(seen)) {
                seen = stored;
            }
        }
        return new PresenceView(userId, now.status(), seen, now.devices());
    }

    /**
     * Those of {@code userIds} with a socket or event stream on any node that is not away (the devices every node
     * keeps in the store; with Redis, all nodes share them), for deciding who needs a push notification. While
     * the store cannot be read, nobody counts as live: a push too many beats a message nobody hears of.
     */
    public Set<UUID> liveAmong(Collection<UUID> userIds) {
        if (userIds.isEmpty()) {
            return Set.of();
        }
        try {
            return store.onlineAmong(userIds, clock.instant());
        } catch (RuntimeException e) {
            if (liveFailures.due()) {
                log.warn("presence_unreadable_for_push: every member counts as offline meanwhile: {}", e.toString());
            }
            return Set.of();
        }
    }

    /**
     * Announcements come due here: changes held back by the debounce or the offline grace, and devices whose node
     * went away without a goodbye; any node may find them. Every second, so that a held-back change goes out
     * within a second of its time.
     */
    @Scheduled(fixedDelay = 1_000, initialDelay = 1_000)
    void expire() {
        try {
            store.expire(clock.instant()).forEach(this::announce);
        } catch (RuntimeException e) {
            log.warn("presence_expiry_failed: {}", e.toString());
        }
    }

    /**
     * When the store lost this node's devices (Redis restarted empty or flushed), the gateway is asked to register
     * its sockets again: otherwise connected devices would show offline until their next refresh.
     */
    @Scheduled(fixedDelay = 5_000, initialDelay = 5_000)
    void checkStore() {
        try {
            if (store.lostSinceAsked()) {
                events.publishEvent(new PresenceStoreLost());
            }
        } catch (RuntimeException e) {
            log.warn("presence_check_failed: {}", e.toString());
        }
    }

    private void update(UUID userId, String device, PresenceStore.Update update) {
        try {
            PresenceStore.Change change = store.update(userId, device, update, clock.instant(), DEVICE_TTL);
            if (change.transition()) {
                announce(change);
            }
        } catch (RuntimeException e) {
            log.warn("presence_update_failed user_id={}: {}", userId, e.toString());
        }
    }

    private void announce(PresenceStore.Change change) {
        PresenceStore.Snapshot after = change.after();
        Instant seen = after.lastSeenAt() != null ? after.lastSeenAt() : clock.instant();
        repository.record(change.userId(), after.status(), seen, after.devices());
        events.publishEvent(new PresenceChanged(change.userId(), after.status(), seen));
    }
}

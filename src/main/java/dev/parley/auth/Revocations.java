package dev.parley.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * This node's knowledge of recent revocations, so that checking a token costs two map lookups and no query. It
 * learns of a revocation made here right after it commits, and of every other (another node's, or a trigger's on
 * the users table) by tailing the feed every second. An entry is kept for {@link #retention()}: by then every
 * access token it concerns has expired, and a host app's token of a suspended or deleted user is refused when
 * its user is looked up again (see ExternalUsers). Each new entry is announced as {@link AccessRevoked}.
 */
@Component
class Revocations implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(Revocations.class);
    private static final int PAGE = 1_000;
    /** Longer than any verified token stays in AccessTokens' cache. */
    private static final Duration MARGIN = Duration.ofMinutes(1);

    /** A revocation of every token of a user issued up to {@code at}. */
    private record Cutoff(Instant at, Instant forgetAt) {}

    /** Written here, handed to {@link #committed} once its transaction commits. */
    record Written(List<RevocationRepository.Row> rows) {}

    private final RevocationRepository feed;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final Duration retention;
    /** Revoked session id to when it may be forgotten. */
    private final Map<UUID, Instant> sessions = new ConcurrentHashMap<>();

    private final Map<UUID, Cutoff> users = new ConcurrentHashMap<>();
    /** Rows already applied beyond {@link #settled}: those of transactions that were still running then. */
    private final Set<RevocationRepository.Position> appliedAhead = ConcurrentHashMap.newKeySet();
    /** Every row up to here is applied, and no row can still commit before it. */
    private RevocationRepository.Position settled = RevocationRepository.Position.START;

    Revocations(RevocationRepository feed, ApplicationEventPublisher events, AuthProperties properties, Clock clock) {
        this.feed = feed;
        this.events = events;
        this.clock = clock;
        Duration longest = properties.accessTokenTtl();
        if (properties.jwks().enabled() && properties.jwks().profileRefresh().compareTo(longest) > 0) {
            longest = properties.jwks().profileRefresh();
        }
        this.retention = longest.plus(Duration.ofMillis(AccessTokens.MAX_CACHE_MILLIS))
                .plusSeconds(2L * TokenService.CLOCK_SKEW_SECONDS)
                .plus(MARGIN);
    }

    /** How long a revocation is kept in memory and in the feed. */
    Duration retention() {
        return retention;
    }

    /**
     * Whether a token of {@code userId} for {@code sessionId} (null: a host app's token) issued at
     * {@code issuedAt} (null: unknown) has been revoked. A token issued in the very second of a user-wide revocation
     * counts as revoked, since a token's issue time has whole seconds only.
     */
    boolean isRevoked(UUID userId, UUID sessionId, Instant issuedAt) {
        if (sessionId != null && sessions.containsKey(sessionId)) {
            return true;
        }
        Cutoff cutoff = users.get(userId);
        return cutoff != null && (issuedAt == null || !issuedAt.isAfter(cutoff.at()));
    }

    /** Loads what is in the feed before the server takes requests, so a restarted node forgets nothing. */
    @Override
    public void afterSingletonsInstantiated() {
        poll();
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    synchronized void committed(Written written) {
        written.rows().forEach(this::applyOnce);
    }

    /**
     * Reads the feed past {@link #settled}. Rows of transactions still running when read are applied at once
     * (they are committed, being visible) and read again until they are settled, so that the cursor never passes a
     * row that could still commit before it.
     */
    @Scheduled(fixedDelay = 1_000, initialDelay = 1_000)
    synchronized void poll() {
        try {
            RevocationRepository.Position read = settled;
            boolean settling = true;
            List<RevocationRepository.Row> rows;
            do {
                rows = feed.after(read, PAGE);
                for (RevocationRepository.Row row : rows) {
                    applyOnce(row);
                    settling &= row.settled();
                    if (settling) {
                        settled = row.position();
                    }
                    read = row.position();
                }
            } while (rows.size() == PAGE);
            appliedAhead.removeIf(position -> position.compareTo(settled) <= 0);
            forgetExpired(clock.instant());
        } catch (RuntimeException e) {
            // The next poll tries again; until then this node knows what it knew.
            log.warn("revocation_feed_unavailable: {}", e.toString());
        }
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT10M")
    void purge() {
        int removed = feed.purge(clock.instant().minus(retention).minus(Duration.ofHours(1)));
        if (removed > 0) {
            log.info("revocations_purged count={}", removed);
        }
    }

    private void applyOnce(RevocationRepository.Row row) {
        if (row.position().compareTo(settled) <= 0 || !appliedAhead.add(row.position())) {
            return;
        }
        Instant forgetAt = row.createdAt().plus(retention);
        if (!forgetAt.isAfter(clock.instant())) {
            return;
        }
        if (row.sessionId() != null) {
            sessions.merge(row.sessionId(), forgetAt, (a, b) -> a.isAfter(b) ? a : b);
        } else {
            users.merge(row.userId(), new Cutoff(row.createdAt(), forgetAt), (a, b) -> a.at().isAfter(b.at()) ? a : b);
        }
        events.publishEvent(new AccessRevoked(row.userId(), row.sessionId()));
    }

    private void forgetExpired(Instant now) {
        sessions.values().removeIf(forgetAt -> !forgetAt.isAfter(now));
        users.values().removeIf(cutoff -> !cutoff.forgetAt().isAfter(now));
    }
}

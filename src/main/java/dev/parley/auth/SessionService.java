package dev.parley.auth;

import dev.parley.audit.AuditAction;
import dev.parley.audit.AuditEntry;
import dev.parley.audit.AuditLog;
import dev.parley.audit.AuditTargetType;
import dev.parley.common.AuthUser;
import dev.parley.common.ErrorCode;
import dev.parley.common.ParleyException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Sessions (a login and its refresh chain) and the one way access ends before its tokens expire. Every revocation
 * is written in the caller's transaction (or one of its own): the session rows, and a row of the revocation feed
 * that every node tails; this node applies it as soon as the transaction commits, the others within about a
 * second. From then on REST answers 401, sockets are closed with 4003 and event streams and long polls end, on
 * every node. Later features (suspension, account deletion) call {@link #revokeUser}.
 */
@Service
public class SessionService {

    private static final Logger log = LoggerFactory.getLogger(SessionService.class);
    /** The session list is bounded; a user rarely has more, and older ones can still be ended with logout-all. */
    static final int LIST_LIMIT = 100;

    static final int REASON_MAX = 64;

    /** One of the caller's sessions; {@code current}: the one the caller's token belongs to. */
    public record SessionView(
            UUID sessionId,
            Instant createdAt,
            Instant lastUsedAt,
            @Nullable String userAgent,
            boolean current) {}

    private final SessionRepository sessions;
    private final RevocationRepository feed;
    private final ApplicationEventPublisher events;
    private final AuthProperties properties;
    private final AuditLog audit;
    private final Clock clock;

    SessionService(
            SessionRepository sessions,
            RevocationRepository feed,
            ApplicationEventPublisher events,
            AuthProperties properties,
            AuditLog audit,
            Clock clock) {
        this.sessions = sessions;
        this.feed = feed;
        this.events = events;
        this.properties = properties;
        this.audit = audit;
        this.clock = clock;
    }

    /** A new session of the user (a login or registration); its id goes into every token issued for it. */
    UUID start(UUID userId, ClientOrigin origin) {
        UUID id = UUID.randomUUID();
        sessions.insert(id, userId, origin, clock.instant());
        return id;
    }

    /** Records a refresh of the session; false when it was revoked meanwhile. */
    boolean refreshed(UUID sessionId) {
        return sessions.touchIfLive(sessionId, clock.instant());
    }

    public List<SessionView> list(AuthUser caller) {
        Instant usedSince = clock.instant().minus(properties.refreshTokenTtl());
        return sessions.live(caller.id(), usedSince, LIST_LIMIT).stream()
                .map(row -> new SessionView(
                        row.sessionId(),
                        row.createdAt(),
                        row.lastUsedAt(),
                        row.userAgent(),
                        row.sessionId().equals(caller.sessionId())))
                .toList();
    }

    /** Ends one of the caller's sessions. Throws NOT_FOUND for one that is not the caller's or no longer live. */
    @Transactional
    public void end(AuthUser caller, UUID sessionId, ClientOrigin origin) {
        if (!revoke(sessionId, caller.id(), "session_deleted")) {
            throw new ParleyException(ErrorCode.NOT_FOUND, "Session not found");
        }
        audit.record(AuditEntry.by(caller.id(), AuditAction.SESSION_REVOKED)
                .target(AuditTargetType.SESSION, sessionId)
                .ip(origin.address()));
    }

    /** Ends a session, whoever's it is; nothing happens when it is not live. */
    @Transactional
    public void revokeSession(UUID sessionId, String reason) {
        revoke(sessionId, null, reason);
    }

    /** Ends every session of the user. */
    @Transactional
    public void revokeAllSessions(UUID userId, String reason) {
        revokeAllBut(userId, null, reason);
    }

    /** Ends every session of the user but {@code keep} (null: all of them). */
    @Transactional
    public void revokeAllBut(UUID userId, UUID keep, String reason) {
        Instant now = clock.instant();
        List<UUID> revoked = sessions.revokeAll(userId, keep, reason(reason), now);
        if (!revoked.isEmpty()) {
            events.publishEvent(new Revocations.Written(feed.appendSessions(userId, revoked, now)));
            log.info("sessions_revoked user_id={} count={} reason={}", userId, revoked.size(), reason);
        }
    }

    /**
     * Ends every session of the user and every token issued to them so far, a host app's included (suspension,
     * account deletion). The user must also be refused at login and refresh, which their standing (suspended or
     * deleted) does.
     */
    @Transactional
    public void revokeUser(UUID userId, String reason) {
        revokeAllBut(userId, null, reason);
        events.publishEvent(new Revocations.Written(List.of(feed.appendUser(userId, clock.instant()))));
        log.info("user_access_revoked user_id={} reason={}", userId, reason);
    }

    /** Sessions unused for a whole refresh-token life are dead; a month later they are removed. */
    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT7M")
    void purge() {
        int removed = sessions.purge(
                clock.instant().minus(properties.refreshTokenTtl()).minusSeconds(30L * 86_400));
        if (removed > 0) {
            log.info("sessions_purged count={}", removed);
        }
    }

    private boolean revoke(UUID sessionId, UUID owner, String reason) {
        Instant now = clock.instant();
        return sessions.revoke(sessionId, owner, reason(reason), now)
                .map(userId -> {
                    events.publishEvent(new Revocations.Written(feed.appendSessions(userId, List.of(sessionId), now)));
                    log.info("session_revoked user_id={} session_id={} reason={}", userId, sessionId, reason);
                    return true;
                })
                .orElse(false);
    }

    private static String reason(String reason) {
        String value = reason == null || reason.isBlank() ? "revoked" : reason.strip();
        return value.length() <= REASON_MAX ? value : value.substring(0, REASON_MAX);
    }
}

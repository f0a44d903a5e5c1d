package dev.parley.realtime;

import dev.parley.auth.AccessRevoked;
import dev.parley.auth.AccessTokens;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Ends what a revoked caller still holds open on this node: sockets are closed with 4003, and waiting event
 * streams and long polls are woken, to find their caller revoked and end (a stream completes, a long poll answers
 * 401). Each connection is judged by the same rule as a REST request ({@link AccessTokens#isRevoked}), so only
 * the revoked session's connections go when one session ends.
 */
@Component
class RevokedAccess {

    private static final Logger log = LoggerFactory.getLogger(RevokedAccess.class);

    private final SessionRegistry sessions;
    private final SyncWaiters waiters;
    private final AccessTokens tokens;

    RevokedAccess(SessionRegistry sessions, SyncWaiters waiters, AccessTokens tokens) {
        this.sessions = sessions;
        this.waiters = waiters;
        this.tokens = tokens;
    }

    @EventListener
    void on(AccessRevoked revoked) {
        for (Connection connection : sessions.of(revoked.userId())) {
            if (tokens.isRevoked(connection.caller())) {
                log.info("websocket_access_revoked session_id={} user_id={}", connection.id(), revoked.userId());
                connection.close(CloseCodes.ACCESS_REVOKED);
            }
        }
        waiters.wake(Set.of(revoked.userId()));
    }
}

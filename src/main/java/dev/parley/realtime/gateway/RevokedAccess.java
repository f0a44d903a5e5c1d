package dev.parley.realtime.gateway;

import dev.parley.auth.AccessRevoked;
import dev.parley.auth.AccessTokens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Closes the sockets a revoked caller still holds open on this node, with 4003. Each connection is judged by the
 * same rule as a REST request ({@link AccessTokens#isRevoked}), so only the revoked session's sockets go when one
 * session ends. (Event streams and long polls hear of the revocation in sync, which wakes them to end.)
 */
@Component
class RevokedAccess {

    private static final Logger log = LoggerFactory.getLogger(RevokedAccess.class);

    private final SessionRegistry sessions;
    private final AccessTokens tokens;

    RevokedAccess(SessionRegistry sessions, AccessTokens tokens) {
        this.sessions = sessions;
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
    }
}

package dev.parley.auth;

import dev.parley.user.AccountErasure;
import java.util.UUID;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** A deleted account's sessions and refresh tokens (revoked already when the deletion was requested). */
@Component
@Order(AccountErasure.SESSIONS)
class SessionErasure implements AccountErasure {

    private final SessionRepository sessions;

    SessionErasure(SessionRepository sessions) {
        this.sessions = sessions;
    }

    @Override
    public boolean eraseSome(UUID userId, int batch) {
        sessions.deleteAll(userId);
        return true;
    }
}

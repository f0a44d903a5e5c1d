package dev.parley.user;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** The first step: the profile, as the request erased it already; again, in case that was an operator's SQL. */
@Component
@Order(AccountErasure.PROFILE)
class ProfileErasure implements AccountErasure {

    private final UserRepository users;
    private final AccountProperties properties;
    private final Clock clock;

    ProfileErasure(UserRepository users, AccountProperties properties, Clock clock) {
        this.users = users;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public boolean eraseSome(UUID userId, int batch) {
        Instant now = clock.instant();
        users.eraseProfile(userId, now, now.plus(properties.usernameCooldown()));
        return true;
    }
}

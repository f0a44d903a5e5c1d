package dev.parley.auth;

import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Resolves a bearer token (ours, or the host app's in integration mode) to a user; shared by every transport.
 * A client sends the same access token for its whole life, so a verified token is remembered until it expires
 * (at most a few minutes): parsing and checking it again on every request was a measurable share of a send.
 */
@Component
public class AccessTokens {

    static final int CACHE_LIMIT = 50_000;
    static final long MAX_CACHE_MILLIS = 5 * 60_000;

    private record Verified(AuthUser user, long untilMillis) {
    }

    private final TokenService own;
    private final ExternalTokenVerifier external;
    private final Clock clock;
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    AccessTokens(TokenService own, ObjectProvider<ExternalTokenVerifier> external, Clock clock) {
        this.own = own;
        this.external = external.getIfAvailable();
        this.clock = clock;
    }

    public Optional<AuthUser> authenticate(String token) {
        if (token == null || token.isBlank() || token.length() > 8192) {
            return Optional.empty();
        }
        long now = clock.millis();
        Verified known = verified.get(token);
        if (known != null) {
            if (known.untilMillis() > now) {
                return Optional.of(known.user());
            }
            verified.remove(token);
        }
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token.strip());
        } catch (ParseException e) {
            return Optional.empty();
        }
        Optional<UUID> user = own.isOwn(jwt) || external == null ? own.verify(jwt) : external.verify(jwt);
        user.ifPresent(id -> remember(token, new AuthUser(id), jwt, now));
        return user.map(AuthUser::new);
    }

    /**
     * When an already authenticated token stops being valid (its {@code exp}); empty when it has none or does not
     * parse. A WebSocket opened with the token is closed then (close code 4001).
     */
    public Optional<java.time.Instant> expiresAt(String token) {
        try {
            Date expires = SignedJWT.parse(token.strip()).getJWTClaimsSet().getExpirationTime();
            return Optional.ofNullable(expires).map(Date::toInstant);
        } catch (ParseException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private void remember(String token, AuthUser user, SignedJWT jwt, long now) {
        Date expires;
        try {
            expires = jwt.getJWTClaimsSet().getExpirationTime();
        } catch (ParseException e) {
            return;
        }
        if (expires == null) {
            return;
        }
        long until = Math.min(expires.getTime(), now + MAX_CACHE_MILLIS);
        if (verified.size() >= CACHE_LIMIT) {
            // Crude but bounded: a full cache starts over rather than growing with every token ever seen.
            verified.clear();
        }
        verified.put(token, new Verified(user, until));
    }
}

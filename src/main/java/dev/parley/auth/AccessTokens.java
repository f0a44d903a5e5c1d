package dev.parley.auth;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.parley.common.AuthUser;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
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
 * Revocations are checked on every call, remembered or not, against this node's in-memory {@link Revocations}.
 */
@Component
public class AccessTokens {

    static final int CACHE_LIMIT = 50_000;
    static final long MAX_CACHE_MILLIS = 5 * 60_000;

    private record Verified(AuthUser user, long untilMillis) {}

    private final TokenService own;
    private final ExternalTokenVerifier external;
    private final Revocations revocations;
    private final boolean localAccounts;
    private final Clock clock;
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    AccessTokens(
            TokenService own,
            ObjectProvider<ExternalTokenVerifier> external,
            Revocations revocations,
            AuthProperties properties,
            Clock clock) {
        this.own = own;
        this.external = external.getIfAvailable();
        this.revocations = revocations;
        this.localAccounts = properties.localAccountsEnabled();
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
                return isRevoked(known.user()) ? Optional.empty() : Optional.of(known.user());
            }
            verified.remove(token);
        }
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token.strip());
        } catch (ParseException e) {
            return Optional.empty();
        }
        Optional<AuthUser> user;
        if (own.isOwn(jwt) || external == null) {
            // With local accounts off, a token signed with our key is refused like any other stranger's.
            user = localAccounts ? own.verify(jwt) : Optional.empty();
        } else {
            user = external.verify(jwt).map(id -> external(id, jwt));
        }
        user.ifPresent(caller -> remember(token, caller, now));
        return user.filter(caller -> !isRevoked(caller));
    }

    /**
     * Whether access of this caller has ended since its token was checked: its session was revoked, or every token
     * of its user issued until after it was (suspension, deletion). For connections that outlive a request.
     */
    public boolean isRevoked(AuthUser caller) {
        return revocations.isRevoked(caller.id(), caller.sessionId(), caller.issuedAt());
    }

    /** Neither revoked nor expired: a connection opened by this caller may go on. */
    public boolean isCurrent(AuthUser caller) {
        return !isRevoked(caller)
                && (caller.expiresAt() == null || caller.expiresAt().toEpochMilli() > clock.millis());
    }

    /**
     * When an already authenticated token stops being valid (its {@code exp}); empty when it has none or does not
     * parse. A WebSocket opened with the token is closed then (close code 4001).
     */
    public Optional<Instant> expiresAt(String token) {
        try {
            Date expires = SignedJWT.parse(token.strip()).getJWTClaimsSet().getExpirationTime();
            return Optional.ofNullable(expires).map(Date::toInstant);
        } catch (ParseException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** A host app's token has no session; its issue and expiry times still matter to revocations. */
    private static AuthUser external(UUID id, SignedJWT jwt) {
        try {
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            return new AuthUser(
                    id,
                    null,
                    TokenService.instant(claims.getIssueTime()),
                    TokenService.instant(claims.getExpirationTime()));
        } catch (ParseException e) {
            return new AuthUser(id);
        }
    }

    private void remember(String token, AuthUser user, long now) {
        if (user.expiresAt() == null) {
            return;
        }
        long until = Math.min(user.expiresAt().toEpochMilli(), now + MAX_CACHE_MILLIS);
        if (verified.size() >= CACHE_LIMIT) {
            // Crude but bounded: a full cache starts over rather than growing with every token ever seen.
            verified.clear();
        }
        verified.put(token, new Verified(user, until));
    }
}

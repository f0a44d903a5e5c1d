package dev.parley.auth;

import dev.parley.common.ErrorCode;
import dev.parley.common.ParleyException;
import dev.parley.moderation.RateLimit;
import dev.parley.moderation.RateLimiter;
import dev.parley.user.UserService;
import dev.parley.user.UserView;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Sign-up, sign-in and refresh-token rotation. */
@Service
public class AuthService {

    private static final Logger log = LoggerFactory.getLogger(AuthService.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final UserService users;
    private final TokenService tokens;
    private final RefreshTokenRepository refreshTokens;
    private final BCryptPasswordEncoder passwords;
    private final AuthProperties properties;
    private final Clock clock;
    private final RateLimiter limiter;
    /** Compared against when the username is unknown, so a miss costs as long as a wrong password. */
    private final String decoyHash;

    AuthService(UserService users, TokenService tokens, RefreshTokenRepository refreshTokens,
            AuthProperties properties, Clock clock, RateLimiter limiter) {
        this.users = users;
        this.limiter = limiter;
        this.tokens = tokens;
        this.refreshTokens = refreshTokens;
        this.passwords = new BCryptPasswordEncoder(properties.bcryptStrength());
        this.properties = properties;
        this.clock = clock;
        this.decoyHash = passwords.encode("decoy-password-for-timing");
    }

    /** Throws CONFLICT when the username is taken. */
    @Transactional
    public TokenResponse register(AuthRequests.Register request) {
        UserView user = users.register(request.username(), request.displayName(), passwords.encode(request.password()));
        log.info("user_registered user_id={}", user.userId());
        return issue(user, UUID.randomUUID());
    }

    /**
     * Throws UNAUTHORIZED for an unknown user or a wrong password (without saying which), RATE_LIMIT_EXCEEDED after
     * too many attempts for this username from {@code clientAddress} (known or not, so the answer reveals nothing)
     * or from that address for any usernames.
     */
    public TokenResponse login(AuthRequests.Login request, String clientAddress) {
        // Before the hash: a password guesser is stopped without costing us a bcrypt each time.
        String address = clientAddress == null ? "" : clientAddress;
        limiter.acquire(loginKey("address:" + address), RateLimit.LOGIN_FROM_ADDRESS);
        limiter.acquire(loginKey(request.username().toLowerCase(java.util.Locale.ROOT) + "@" + address),
                RateLimit.LOGIN_ATTEMPT);
        Optional<Map.Entry<UUID, String>> credentials = users.credentials(request.username());
        boolean matches = passwords.matches(request.password(), credentials.map(Map.Entry::getValue).orElse(decoyHash));
        if (credentials.isEmpty() || !matches) {
            throw new ParleyException(ErrorCode.UNAUTHORIZED, "Wrong username or password");
        }
        return issue(users.get(credentials.get().getKey()), UUID.randomUUID());
    }

    /**
     * Rotates a refresh token: the presented one stops working and a new pair is issued. Presenting a token that
     * was already used revokes every token of its family (it was probably stolen). Throws UNAUTHORIZED.
     */
    @Transactional(noRollbackFor = ParleyException.class)
    public TokenResponse refresh(AuthRequests.Refresh request) {
        Instant now = clock.instant();
        RefreshTokenRepository.Spent spent = refreshTokens.spend(hash(request.refreshToken()), now)
                .orElseThrow(AuthService::invalidRefresh);
        if (spent.alreadyUsed()) {
            refreshTokens.revokeFamily(spent.familyId(), now);
            log.warn("refresh_token_reused user_id={} family_id={}: family revoked", spent.userId(), spent.familyId());
            throw invalidRefresh();
        }
        if (spent.expired()) {
            throw invalidRefresh();
        }
        return issue(users.get(spent.userId()), spent.familyId());
    }

    private TokenResponse issue(UserView user, UUID familyId) {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String refresh = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Instant now = clock.instant();
        refreshTokens.insert(hash(refresh), user.userId(), familyId, now.plus(properties.refreshTokenTtl()), now);
        return new TokenResponse(user, tokens.issue(user.userId()), "Bearer", tokens.accessTokenTtlSeconds(), refresh);
    }

    /** Spent and expired refresh tokens are kept a day for replay detection, then removed. */
    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT5M")
    void purgeExpired() {
        int removed = refreshTokens.deleteExpired(clock.instant().minus(Duration.ofDays(1)));
        if (removed > 0) {
            log.info("refresh_tokens_purged count={}", removed);
        }
    }

    private static ParleyException invalidRefresh() {
        return new ParleyException(ErrorCode.UNAUTHORIZED, "Refresh token is invalid, expired or already used");
    }

    /**
     * The limiter counts per user id; a login has only a username (which may name nobody) and an address. A
     * name-based UUID gives each its own allowance without a lookup, and being version 3 it never equals a user's
     * id (4 or 7).
     */
    static UUID loginKey(String subject) {
        return UUID.nameUUIDFromBytes(("login:" + subject).getBytes(StandardCharsets.UTF_8));
    }

    /** SHA-256 of a string's UTF-8 bytes. */
    static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

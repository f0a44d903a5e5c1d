package dev.parley.auth;

import dev.parley.user.UserView;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The tokens a session hands out: a short-lived access token (a JWT naming the session) and a refresh token, of
 * which only the SHA-256 is stored. Refresh tokens are spent once; a spent one is kept a day so that its replay is
 * recognised.
 */
@Component
class TokenPairs {

    private static final Logger log = LoggerFactory.getLogger(TokenPairs.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final TokenService tokens;
    private final RefreshTokenRepository refreshTokens;
    private final AuthProperties properties;
    private final Clock clock;

    TokenPairs(TokenService tokens, RefreshTokenRepository refreshTokens, AuthProperties properties, Clock clock) {
        this.tokens = tokens;
        this.refreshTokens = refreshTokens;
        this.properties = properties;
        this.clock = clock;
    }

    /** A new pair for {@code user} in {@code sessionId}, inside the caller's transaction. */
    TokenResponse issue(UserView user, UUID sessionId) {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String refresh = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Instant now = clock.instant();
        refreshTokens.insert(hash(refresh), user.userId(), sessionId, now.plus(properties.refreshTokenTtl()), now);
        return new TokenResponse(
                user, tokens.issue(user.userId(), sessionId), "Bearer", tokens.accessTokenTtlSeconds(), refresh);
    }

    /** The refresh token's record, spent or not, unless it is unknown or long expired. */
    Optional<RefreshTokenRepository.Spent> find(String refreshToken) {
        return refreshTokens.find(hash(refreshToken), clock.instant());
    }

    /** Spends the refresh token, atomically; says whether it had been spent before (a replay) or expired. */
    Optional<RefreshTokenRepository.Spent> spend(String refreshToken) {
        return refreshTokens.spend(hash(refreshToken), clock.instant());
    }

    /** Spent and expired refresh tokens are kept a day for replay detection, then removed. */
    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT5M")
    void purgeExpired() {
        int removed = refreshTokens.deleteExpired(clock.instant().minus(Duration.ofDays(1)));
        if (removed > 0) {
            log.info("refresh_tokens_purged count={}", removed);
        }
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

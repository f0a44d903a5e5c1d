package dev.parley.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.common.AuthUser;
import dev.parley.common.DataProperties;
import dev.parley.support.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

class AccessTokensTest {

    @Test
    void aRememberedTokenStillStopsWorkingWhenItExpires() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        AuthProperties auth = new AuthProperties(
                "0123456789abcdef0123456789abcdef",
                "parley",
                Duration.ofMinutes(2),
                Duration.ofDays(1),
                4,
                new AuthProperties.Jwks(
                        null,
                        null,
                        null,
                        List.of("RS256"),
                        "preferred_username",
                        "name",
                        "picture",
                        Duration.ofMinutes(5),
                        100),
                null);
        TokenService tokens = new TokenService(auth, new DataProperties(Path.of("target/unused")), clock);
        Revocations revocations = new Revocations(null, event -> {}, auth, clock);
        AccessTokens access = new AccessTokens(
                tokens,
                new StaticListableBeanFactory().getBeanProvider(ExternalTokenVerifier.class),
                revocations,
                auth,
                clock);
        UUID user = UUID.randomUUID();
        UUID session = UUID.randomUUID();
        String token = tokens.issue(user, session);

        assertThat(access.authenticate(token)).map(AuthUser::id).contains(user);
        assertThat(access.authenticate(token)).map(AuthUser::sessionId).contains(session);
        clock.advance(Duration.ofSeconds(60));
        assertThat(access.authenticate(token))
                .as("served from the cache")
                .map(AuthUser::id)
                .contains(user);
        clock.advance(Duration.ofSeconds(120));
        assertThat(access.authenticate(token)).as("expired, cached or not").isEmpty();
        assertThat(access.authenticate(token + "x")).isEmpty();
    }
}

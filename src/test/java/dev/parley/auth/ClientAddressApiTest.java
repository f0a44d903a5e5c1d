package dev.parley.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.support.MutableClock;
import dev.parley.support.TestClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.bean.override.convention.TestBean;

/**
 * With no trusted proxy configured (the default), {@code X-Forwarded-For} is ignored: a client that rotates it
 * is still one address to the login and registration limits (RateLimitApiTest shows it honoured from a proxy
 * that is named). The limits are on here, as in production; the server's clock moves only when the test says.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "parley.data-dir=target/test-data/shared",
            "parley.limits.login-attempts=10",
            "parley.limits.login-attempts-per-address=100",
            "parley.limits.login-attempts-per-account=20",
            "parley.limits.registrations-per-address=10"
        })
@ActiveProfiles("test")
class ClientAddressApiTest {

    private static final MutableClock CLOCK = new MutableClock(Instant.now());

    @TestBean
    private Clock clock;

    @LocalServerPort
    private int port;

    private TestClient api;

    static Clock clock() {
        return CLOCK;
    }

    @BeforeEach
    void freshAllowances() {
        api = new TestClient("http://127.0.0.1:" + port);
        // Every allowance here refills within an hour: each test starts with whole ones.
        CLOCK.advance(Duration.ofHours(2));
    }

    @Test
    void rotatingXForwardedForDoesNotEscapeThePerAddressLoginLimit() {
        TestClient.User ivan = api.register("xff");
        for (int i = 0; i < 10; i++) {
            assertThat(post(
                                    "/api/v1/auth/login",
                                    Map.of("username", ivan.username(), "password", "guess " + i),
                                    "203.0.113." + i)
                            .status())
                    .isEqualTo(401);
        }
        TestClient.Resp refused = post(
                        "/api/v1/auth/login",
                        Map.of("username", ivan.username(), "password", "correct horse"),
                        "198.51.100.7")
                .expectError(429, "RATE_LIMIT_EXCEEDED");
        assertThat(refused.json().path("details").path("limit").asString()).isEqualTo("login_attempt");
    }

    @Test
    void registrationsAreLimitedPerAddressWhateverTheHeaderSays() {
        for (int i = 0; i < 10; i++) {
            assertThat(post(
                                    "/api/v1/auth/register",
                                    Map.of("username", TestClient.uniqueName("reg"), "password", "correct horse"),
                                    "203.0.113." + i)
                            .status())
                    .isEqualTo(201);
        }
        TestClient.Resp refused = post(
                        "/api/v1/auth/register",
                        Map.of("username", TestClient.uniqueName("reg"), "password", "correct horse"),
                        "198.51.100.8")
                .expectError(429, "RATE_LIMIT_EXCEEDED");
        assertThat(refused.json().path("details").path("limit").asString()).isEqualTo("registration");
        // Ten an hour: one frees every six minutes.
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("360");

        CLOCK.advance(Duration.ofMinutes(6));
        assertThat(post(
                                "/api/v1/auth/register",
                                Map.of("username", TestClient.uniqueName("reg"), "password", "correct horse"),
                                null)
                        .status())
                .isEqualTo(201);
    }

    private TestClient.Resp post(String path, Map<String, String> body, String forwardedFor) {
        return api.post(path, null, body, forwardedFor == null ? Map.of() : Map.of("X-Forwarded-For", forwardedFor));
    }
}

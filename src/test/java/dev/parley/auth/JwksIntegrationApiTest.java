package dev.parley.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.parley.support.TestClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Integration mode end to end: a second application context, sharing the embedded PostgreSQL, that accepts
 * tokens signed by a host app whose JWKS is served from this test. Local accounts are left at their default,
 * which is off in integration mode.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "parley.data-dir=target/test-data/shared",
            "parley.auth.jwks.issuer=" + JwksIntegrationApiTest.ISSUER,
            "parley.auth.jwks.audience=" + JwksIntegrationApiTest.AUDIENCE
        })
@ActiveProfiles("test")
class JwksIntegrationApiTest {

    static final String ISSUER = "https://host.example/";
    static final String AUDIENCE = "parley-chat";

    private static final RSAKey HOST_KEY = rsaKey("host-1");
    /** Never published: tokens it signs must be refused even when they claim the published kid. */
    private static final RSAKey FORGER_KEY = rsaKey("host-1");

    private static final JwksServer JWKS = new JwksServer(new JWKSet(HOST_KEY.toPublicJWK()).toString());

    @LocalServerPort
    private int port;

    @Autowired
    private TokenService parleyTokens;

    @Autowired
    private JdbcClient jdbc;

    private TestClient api;

    @DynamicPropertySource
    static void jwks(DynamicPropertyRegistry registry) {
        registry.add("parley.auth.jwks.uri", JWKS::uri);
    }

    @AfterAll
    static void stopJwks() {
        JWKS.stop();
    }

    @BeforeEach
    void setUpClient() {
        api = new TestClient("http://127.0.0.1:" + port);
    }

    @Test
    void aValidTokenProvisionsTheUserFromItsClaims() {
        String sub = TestClient.uniqueName("sub");
        String handle = TestClient.uniqueName("Jane.Doe");
        String token = sign(
                HOST_KEY,
                claims(
                        sub,
                        c -> c.claim("preferred_username", handle)
                                .claim("name", "Jane Doe")
                                .claim("picture", "https://img.example/jane.png")));

        JsonNode me = api.get("/api/v1/users/me", token).expect(200).json();
        assertThat(me.path("username").asString()).isEqualTo(handle.toLowerCase());
        assertThat(me.path("display_name").asString()).isEqualTo("Jane Doe");
        assertThat(me.path("profile_photo_url").asString()).isEqualTo("https://img.example/jane.png");

        // The same subject in a fresh token is the same user, also once the profile claims change.
        String again = sign(
                HOST_KEY, claims(sub, c -> c.claim("preferred_username", handle).claim("name", "Jane D.")));
        JsonNode after = api.get("/api/v1/users/me", again).expect(200).json();
        assertThat(after.path("user_id").asString())
                .isEqualTo(me.path("user_id").asString());
        assertThat(after.path("display_name").asString()).isEqualTo("Jane D.");
        // An absent picture claim leaves the photo as it was rather than erasing it.
        assertThat(after.path("profile_photo_url").asString()).isEqualTo("https://img.example/jane.png");

        // Other users see the provisioned profile like any other.
        String other = sign(HOST_KEY, claims(TestClient.uniqueName("sub"), c -> {}));
        api.get("/api/v1/users/" + me.path("user_id").asString(), other).expect(200);
    }

    @Test
    void usernamesAreFittedToParleysRuleAndNeverCollide() {
        String sub = "auth0|" + TestClient.uniqueName("x");
        JsonNode noClaim = api.get("/api/v1/users/me", sign(HOST_KEY, claims(sub, c -> {})))
                .expect(200)
                .json();
        assertThat(noClaim.path("username").asString())
                .matches("[a-z0-9_.]{3,32}")
                .startsWith("user_auth0_");
        assertThat(noClaim.path("display_name").asString())
                .isEqualTo(noClaim.path("username").asString());

        String handle = TestClient.uniqueName("taken");
        JsonNode taken = api.get(
                        "/api/v1/users/me",
                        sign(
                                HOST_KEY,
                                claims(TestClient.uniqueName("sub"), c -> c.claim("preferred_username", handle))))
                .expect(200)
                .json();
        JsonNode clash = api.get(
                        "/api/v1/users/me",
                        sign(
                                HOST_KEY,
                                claims(TestClient.uniqueName("sub"), c -> c.claim("preferred_username", handle))))
                .expect(200)
                .json();
        assertThat(clash.path("user_id").asString())
                .isNotEqualTo(taken.path("user_id").asString());
        assertThat(clash.path("username").asString())
                .startsWith(handle)
                .isNotEqualTo(handle)
                .matches("[a-z0-9_.]{3,32}");

        JsonNode odd = api.get(
                        "/api/v1/users/me",
                        sign(
                                HOST_KEY,
                                claims(
                                        TestClient.uniqueName("sub"),
                                        c -> c.claim("preferred_username", "Zoë Ångström " + TestClient.uniqueName("n"))
                                                .claim("picture", "javascript:alert(1)"))))
                .expect(200)
                .json();
        assertThat(odd.path("username").asString()).startsWith("zoe_angstrom_").matches("[a-z0-9_.]{3,32}");
        assertThat(odd.path("profile_photo_url").isNull()).isTrue();
    }

    @Test
    void tokensTheHostAppDidNotIssueForUsAreUnauthorized() {
        String sub = TestClient.uniqueName("sub");
        Instant now = Instant.now();
        expectRejected(sign(HOST_KEY, claims(sub, c -> c.issuer("https://evil.example/"))));
        expectRejected(sign(HOST_KEY, claims(sub, c -> c.audience("someone-else"))));
        expectRejected(sign(HOST_KEY, claims(sub, c -> c.expirationTime(Date.from(now.minusSeconds(300))))));
        expectRejected(sign(HOST_KEY, claims(sub, c -> c.notBeforeTime(Date.from(now.plusSeconds(300))))));
        expectRejected(sign(HOST_KEY, claims(sub, c -> c.expirationTime(null))));
        expectRejected(sign(HOST_KEY, claims(sub, c -> c.subject(null))));
        expectRejected(sign(FORGER_KEY, claims(sub, c -> {})));
        expectRejected(sign(rsaKey("unknown-kid"), claims(sub, c -> {})));
    }

    @Test
    void algorithmConfusionAndUnsignedTokensAreUnauthorized() throws JOSEException {
        JWTClaimsSet claims = claims(TestClient.uniqueName("sub"), c -> {}).build();
        // The classic attack: HMAC keyed with the published public key, which anyone can fetch.
        SignedJWT hmac = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.HS256)
                        .keyID(HOST_KEY.getKeyID())
                        .build(),
                claims);
        hmac.sign(new MACSigner(HOST_KEY.toRSAPublicKey().getEncoded()));
        expectRejected(hmac.serialize());
        expectRejected(new PlainJWT(claims).serialize());
    }

    @Test
    void localAccountsAreOffByDefaultSoNobodyCanRegisterOrUseAParleyToken() {
        Map<String, String> account = Map.of("username", TestClient.uniqueName("local"), "password", "correct horse");
        api.post("/api/v1/auth/register", null, account).expectError(403, "FORBIDDEN");
        api.post("/api/v1/auth/login", null, account).expectError(403, "FORBIDDEN");
        api.post("/api/v1/auth/refresh", null, Map.of("refresh_token", "anything"))
                .expectError(403, "FORBIDDEN");

        // A token signed with Parley's own key (the shared data folder's secret, as another node would have it)
        // is refused like any stranger's.
        String host = sign(HOST_KEY, claims(TestClient.uniqueName("sub"), c -> {}));
        UUID hostUser =
                UUID.fromString(api.get("/api/v1/users/me", host).expect(200).text("user_id"));
        expectRejected(parleyTokens.issue(hostUser, UUID.randomUUID()));
        api.put("/api/v1/users/me/password", host, Map.of("current_password", "x", "new_password", "long enough"))
                .expectError(403, "FORBIDDEN");
    }

    @Test
    void aSuspendedOrDeletedHostUserIsRefusedAtOnceAndSoAreTheFreshTokensTheHostAppIssues() {
        String sub = TestClient.uniqueName("sub");
        String token = sign(HOST_KEY, claims(sub, c -> {}));
        UUID user =
                UUID.fromString(api.get("/api/v1/users/me", token).expect(200).text("user_id"));

        jdbc.sql("UPDATE users SET suspended_until = now() + interval '1 hour' WHERE user_id = :id")
                .param("id", user)
                .update();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> expectRejected(token));
        // Issued after the suspension, so no revocation of past tokens covers it: the user's standing does.
        expectRejected(sign(
                HOST_KEY, claims(sub, c -> c.issueTime(Date.from(Instant.now().plusSeconds(2))))));

        String other = TestClient.uniqueName("sub");
        String otherToken = sign(HOST_KEY, claims(other, c -> {}));
        UUID deleted = UUID.fromString(
                api.get("/api/v1/users/me", otherToken).expect(200).text("user_id"));
        jdbc.sql("UPDATE users SET deleted_at = now() WHERE user_id = :id")
                .param("id", deleted)
                .update();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> expectRejected(otherToken));
        expectRejected(sign(
                HOST_KEY, claims(other, c -> c.issueTime(Date.from(Instant.now().plusSeconds(2))))));
    }

    @Test
    void anUnreachableJwksIsUnauthorizedNotAServerError() {
        JWKS.failing = true;
        try {
            // An unknown key id makes the verifier go back to the JWKS, which now fails.
            expectRejected(sign(
                    rsaKey("rotated-" + TestClient.uniqueName("k")), claims(TestClient.uniqueName("sub"), c -> {})));
        } finally {
            JWKS.failing = false;
        }
    }

    private void expectRejected(String token) {
        api.get("/api/v1/users/me", token).expectError(401, "UNAUTHORIZED");
    }

    private static JWTClaimsSet.Builder claims(String sub, Consumer<JWTClaimsSet.Builder> customise) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(sub)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))));
        customise.accept(builder);
        return builder;
    }

    static String sign(RSAKey key, JWTClaimsSet.Builder claims) {
        try {
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.RS256)
                            .keyID(key.getKeyID())
                            .build(),
                    claims.build());
            JWSSigner signer = new RSASSASigner(key);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static RSAKey rsaKey(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The host app's JWKS endpoint; {@code failing} makes it answer 503 like an outage. */
    static final class JwksServer {

        volatile boolean failing;
        /** The JWKS served; replace it to rotate keys. */
        volatile String jwks;

        private final HttpServer server;

        JwksServer(String jwks) {
            this.jwks = jwks;
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/.well-known/jwks.json", exchange -> {
                try (exchange) {
                    byte[] body = this.jwks.getBytes(StandardCharsets.UTF_8);
                    if (failing) {
                        exchange.sendResponseHeaders(503, -1);
                        return;
                    }
                    exchange.getResponseHeaders().add("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                }
            });
            server.start();
        }

        String uri() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/.well-known/jwks.json";
        }

        void stop() {
            server.stop(0);
        }
    }
}

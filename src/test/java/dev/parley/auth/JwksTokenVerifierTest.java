package dev.parley.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.parley.user.AccountStanding;
import dev.parley.user.UserService;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Start-up checks of integration mode and how it follows its JWKS (down, rotated), without Spring. */
class JwksTokenVerifierTest {

    @Test
    void startUpFailsWithAClearMessageWhenIssuerOrAudienceIsMissing() {
        assertThatThrownBy(() -> verifier(jwks("https://idp.example/jwks", null, "parley", List.of("RS256"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("parley.auth.jwks.issuer");
        assertThatThrownBy(
                        () -> verifier(jwks("https://idp.example/jwks", "https://idp.example/", " ", List.of("RS256"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("parley.auth.jwks.audience");
    }

    @Test
    void startUpRefusesSymmetricOrMissingAlgorithmsAndOddUris() {
        for (String alg : List.of("HS256", "none", "RS257")) {
            assertThatThrownBy(() -> verifier(
                            jwks("https://idp.example/jwks", "https://idp.example/", "parley", List.of("RS256", alg))))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("parley.auth.jwks.algorithms");
        }
        assertThatThrownBy(() ->
                        verifier(jwks("file:///etc/jwks.json", "https://idp.example/", "parley", List.of("RS256"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("parley.auth.jwks.uri");
        assertThatThrownBy(() -> verifier(jwks("https://idp.example/jwks", "parley", "parley", List.of("RS256"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("must differ");
    }

    @Test
    void anUnreachableJwksRejectsTheTokenInsteadOfFailing() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        JwksTokenVerifier verifier = verifier(jwks(
                "http://127.0.0.1:" + closedPort + "/jwks.json",
                "https://idp.example/",
                "parley",
                List.of("RS256", "ES256")));
        try {
            assertThat(verifier.verify(token(JwksIntegrationApiTest.rsaKey("k1"))))
                    .isEmpty();
        } finally {
            verifier.destroy();
        }
    }

    @Test
    void aRotatedKeyIsPickedUpWithoutARestartAndTheRetiredOneStopsWorking() throws Exception {
        RSAKey first = JwksIntegrationApiTest.rsaKey("first");
        RSAKey second = JwksIntegrationApiTest.rsaKey("second");
        JwksIntegrationApiTest.JwksServer server =
                new JwksIntegrationApiTest.JwksServer(new JWKSet(first.toPublicJWK()).toString());
        UserService users = mock(UserService.class);
        UUID userId = UUID.randomUUID();
        when(users.provisionExternal(eq("https://idp.example/"), eq("s1"), any(), any(), any()))
                .thenReturn(userId);
        when(users.standing(userId)).thenReturn(new AccountStanding(userId, false, null));
        JwksTokenVerifier verifier =
                verifier(jwks(server.uri(), "https://idp.example/", "parley", List.of("RS256")), users);
        try {
            assertThat(verifier.verify(token(first))).contains(userId);
            server.jwks = new JWKSet(second.toPublicJWK()).toString();
            // The cached set lacks "second", which makes the verifier fetch the JWKS again.
            assertThat(verifier.verify(token(second))).contains(userId);
            assertThat(verifier.verify(token(first))).isEmpty();
        } finally {
            verifier.destroy();
            server.stop();
        }
    }

    private static SignedJWT token(RSAKey key) throws ParseException {
        return SignedJWT.parse(JwksIntegrationApiTest.sign(
                key,
                new JWTClaimsSet.Builder()
                        .issuer("https://idp.example/")
                        .audience("parley")
                        .subject("s1")
                        .expirationTime(Date.from(Instant.now().plusSeconds(60)))));
    }

    private static JwksTokenVerifier verifier(AuthProperties.Jwks jwks) {
        // Provisioning is never reached in these cases, so no UserService is needed.
        return verifier(jwks, null);
    }

    private static JwksTokenVerifier verifier(AuthProperties.Jwks jwks, UserService users) {
        AuthProperties properties =
                new AuthProperties(null, "parley", Duration.ofMinutes(15), Duration.ofDays(30), 4, jwks, null);
        return new JwksTokenVerifier(properties, users, Clock.systemUTC());
    }

    private static AuthProperties.Jwks jwks(String uri, String issuer, String audience, List<String> algorithms) {
        return new AuthProperties.Jwks(
                uri, issuer, audience, algorithms, "preferred_username", "name", "picture", Duration.ofMinutes(5), 100);
    }
}

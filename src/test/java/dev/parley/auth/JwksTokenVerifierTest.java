package dev.parley.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Start-up checks of integration mode and its behaviour when the JWKS cannot be fetched, without Spring. */
class JwksTokenVerifierTest {

    @Test
    void startUpFailsWithAClearMessageWhenIssuerOrAudienceIsMissing() {
        assertThatThrownBy(() -> verifier(jwks("https://idp.example/jwks", null, "parley", List.of("RS256"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("parley.auth.jwks.issuer");
        assertThatThrownBy(() -> verifier(jwks("https://idp.example/jwks", "https://idp.example/", " ", List.of("RS256"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("parley.auth.jwks.audience");
    }

    @Test
    void startUpRefusesSymmetricOrMissingAlgorithmsAndOddUris() {
        for (String alg : List.of("HS256", "none", "RS257")) {
            assertThatThrownBy(() -> verifier(jwks("https://idp.example/jwks", "https://idp.example/", "parley",
                    List.of("RS256", alg)))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("parley.auth.jwks.algorithms");
        }
        assertThatThrownBy(() -> verifier(jwks("file:///etc/jwks.json", "https://idp.example/", "parley", List.of("RS256"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("parley.auth.jwks.uri");
        assertThatThrownBy(() -> verifier(jwks("https://idp.example/jwks", "parley", "parley", List.of("RS256"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("must differ");
    }

    @Test
    void anUnreachableJwksRejectsTheTokenInsteadOfFailing() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        JwksTokenVerifier verifier = verifier(jwks("http://127.0.0.1:" + closedPort + "/jwks.json",
                "https://idp.example/", "parley", List.of("RS256", "ES256")));
        try {
            RSAKey key = JwksIntegrationApiTest.rsaKey("k1");
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(),
                    new JWTClaimsSet.Builder().issuer("https://idp.example/").audience("parley").subject("s1")
                            .expirationTime(Date.from(Instant.now().plusSeconds(60))).build());
            jwt.sign(new RSASSASigner(key));
            assertThat(verifier.verify(SignedJWT.parse(jwt.serialize()))).isEmpty();
        } finally {
            verifier.destroy();
        }
    }

    private static JwksTokenVerifier verifier(AuthProperties.Jwks jwks) {
        AuthProperties properties = new AuthProperties(null, "parley", Duration.ofMinutes(15), Duration.ofDays(30), 4, jwks);
        // Provisioning is never reached in these cases, so no UserService is needed.
        return new JwksTokenVerifier(properties, null, Clock.systemUTC());
    }

    private static AuthProperties.Jwks jwks(String uri, String issuer, String audience, List<String> algorithms) {
        return new AuthProperties.Jwks(uri, issuer, audience, algorithms, "preferred_username", "name", "picture",
                Duration.ofMinutes(5), 100);
    }
}

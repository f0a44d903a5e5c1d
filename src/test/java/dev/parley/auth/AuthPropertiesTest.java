package dev.parley.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Local accounts are on unless integration mode is, where they are off unless asked for. */
class AuthPropertiesTest {

    @Test
    void localAccountsDefaultToOffOnlyInIntegrationMode() {
        assertThat(properties(null, null).localAccountsEnabled()).isTrue();
        assertThat(properties("https://idp.example/jwks", null).localAccountsEnabled())
                .isFalse();
        assertThat(properties("https://idp.example/jwks", true).localAccountsEnabled())
                .isTrue();
        assertThat(properties(null, false).localAccountsEnabled()).isFalse();
    }

    private static AuthProperties properties(String jwksUri, Boolean localAccounts) {
        return new AuthProperties(
                null,
                "parley",
                Duration.ofMinutes(15),
                Duration.ofDays(30),
                4,
                new AuthProperties.Jwks(
                        jwksUri,
                        "https://idp.example/",
                        "parley",
                        List.of("RS256"),
                        "preferred_username",
                        "name",
                        "picture",
                        Duration.ofMinutes(5),
                        100),
                localAccounts);
    }
}

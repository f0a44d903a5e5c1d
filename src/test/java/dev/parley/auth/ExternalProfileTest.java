package dev.parley.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExternalProfileTest {

    @Test
    void usernamesAreFittedToTheContractsRule() {
        assertThat(ExternalProfile.username("Jane.Doe", "s")).isEqualTo("jane.doe");
        assertThat(ExternalProfile.username("jane.doe@example.com", "s")).isEqualTo("jane.doe");
        assertThat(ExternalProfile.username("  Zoë  Ångström!! ", "s")).isEqualTo("zoe_angstrom");
        assertThat(ExternalProfile.username("a".repeat(40), "s")).hasSize(32);
        assertThat(ExternalProfile.username("__.x.__", "s")).isEqualTo(ExternalProfile.username(null, "s"));
    }

    @Test
    void withoutAUsableClaimTheNameComesFromTheSubject() {
        assertThat(ExternalProfile.username(null, "auth0|65F0ab")).isEqualTo("user_auth0_65f0ab");
        assertThat(ExternalProfile.username("ab", "google-oauth2|1234567890"))
                .isEqualTo("user_google_oauth2_1234567890");
        // Nothing usable in the subject either: a stable hash of it.
        String hashed = ExternalProfile.username("日本", "日本語");
        assertThat(hashed).matches("user_[0-9a-f]{12}").isEqualTo(ExternalProfile.username(null, "日本語"));
        assertThat(ExternalProfile.username(null, "x".repeat(100))).hasSize(32).matches("[a-z0-9_.]{3,32}");
    }

    @Test
    void displayNamesAndPhotosAreCleaned() {
        assertThat(ExternalProfile.displayName(null, "jane")).isEqualTo("jane");
        assertThat(ExternalProfile.displayName("  \t ", "jane")).isEqualTo("jane");
        assertThat(ExternalProfile.displayName(" Jane\u0000 Doe ", "jane")).isEqualTo("Jane Doe");
        assertThat(ExternalProfile.displayName("😀".repeat(70), "jane")).isEqualTo("😀".repeat(64));
        assertThat(ExternalProfile.photoUrl("https://img.example/a.png")).isEqualTo("https://img.example/a.png");
        assertThat(ExternalProfile.photoUrl("javascript:alert(1)")).isNull();
        assertThat(ExternalProfile.photoUrl("data:image/png;base64,AAAA")).isNull();
        assertThat(ExternalProfile.photoUrl("/relative.png")).isNull();
        assertThat(ExternalProfile.photoUrl("https://img.example/" + "a".repeat(2100)))
                .isNull();
    }
}

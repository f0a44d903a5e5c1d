package dev.parley.auth;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code parley.auth.*}. Without {@code jwt-secret}, a random secret is generated once and kept in the data
 * folder; several nodes must share one, so set it explicitly there. {@code local-accounts}: whether Parley's own
 * accounts exist (register, login, refresh, password change, and Parley's own tokens); unset, they do unless
 * integration mode is on, where the host app owns identities.
 */
@ConfigurationProperties("parley.auth")
public record AuthProperties(
        String jwtSecret,
        @DefaultValue("parley") String issuer,
        @DefaultValue("15m") Duration accessTokenTtl,
        @DefaultValue("30d") Duration refreshTokenTtl,
        @DefaultValue("10") int bcryptStrength,
        @DefaultValue Jwks jwks,
        Boolean localAccounts) {

    /** Explicitly set, or on unless a JWKS URI is set (integration mode). */
    public boolean localAccountsEnabled() {
        return localAccounts != null ? localAccounts : !jwks.enabled();
    }

    /**
     * Integration mode: the host app's tokens, verified against its JWKS. Enabled when {@code jwks.uri} is set;
     * issuer and audience are then required. {@code profileRefresh} bounds how long a user resolved from a token
     * is served from memory before the token's profile claims are written again; {@code userCacheSize} bounds
     * that memory.
     */
    public record Jwks(
            String uri,
            String issuer,
            String audience,
            @DefaultValue("RS256") List<String> algorithms,
            @DefaultValue("preferred_username") String usernameClaim,
            @DefaultValue("name") String displayNameClaim,
            @DefaultValue("picture") String pictureClaim,
            @DefaultValue("5m") Duration profileRefresh,
            @DefaultValue("10000") int userCacheSize) {

        public boolean enabled() {
            return uri != null && !uri.isBlank();
        }
    }
}

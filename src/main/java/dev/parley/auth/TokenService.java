package dev.parley.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.parley.common.AuthUser;
import dev.parley.common.DataProperties;
import dev.parley.common.SecretFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** Parley's own access tokens: HS256 JWTs, algorithm pinned, short-lived. */
@Component
public class TokenService {

    /** Tolerance for clocks that disagree a little; shared with the external verifier. */
    static final int CLOCK_SKEW_SECONDS = 30;

    private final MACSigner signer;
    private final JWSVerifier verifier;
    private final AuthProperties properties;
    private final Clock clock;

    TokenService(AuthProperties properties, DataProperties data, Clock clock) {
        byte[] secret = secret(properties, data.dataDir());
        try {
            this.signer = new MACSigner(secret);
            this.verifier = new MACVerifier(secret);
        } catch (JOSEException e) {
            throw new IllegalStateException("parley.auth.jwt-secret must be at least 32 bytes", e);
        }
        this.properties = properties;
        this.clock = clock;
    }

    /** The session id claim: revoking the session ends every access token issued for it. */
    static final String SESSION_CLAIM = "sid";

    /** An access token of {@code sessionId} (a login and its refresh chain). */
    String issue(UUID userId, UUID sessionId) {
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(userId.toString())
                .claim(SESSION_CLAIM, sessionId.toString())
                .issuer(properties.issuer())
                .audience(properties.issuer())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(properties.accessTokenTtl())))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("Could not sign a token", e);
        }
        return jwt.serialize();
    }

    public long accessTokenTtlSeconds() {
        return properties.accessTokenTtl().toSeconds();
    }

    /** Whether the token claims to be one of ours (so the external verifier should not be asked). */
    boolean isOwn(SignedJWT jwt) {
        try {
            return properties.issuer().equals(jwt.getJWTClaimsSet().getIssuer());
        } catch (ParseException e) {
            return false;
        }
    }

    /**
     * The caller behind a valid token of ours; empty for anything expired, forged, malformed or foreign, and for a
     * token without a session (issued before sessions existed: the client refreshes, as after an expiry).
     */
    Optional<AuthUser> verify(SignedJWT jwt) {
        try {
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Instant now = clock.instant();
            if (claims.getExpirationTime() == null
                    || claims.getExpirationTime()
                            .toInstant()
                            .plusSeconds(CLOCK_SKEW_SECONDS)
                            .isBefore(now)
                    || !properties.issuer().equals(claims.getIssuer())
                    || !claims.getAudience().equals(List.of(properties.issuer()))
                    || claims.getSubject() == null
                    || claims.getStringClaim(SESSION_CLAIM) == null) {
                return Optional.empty();
            }
            return Optional.of(new AuthUser(
                    UUID.fromString(claims.getSubject()),
                    UUID.fromString(claims.getStringClaim(SESSION_CLAIM)),
                    instant(claims.getIssueTime()),
                    claims.getExpirationTime().toInstant()));
        } catch (JOSEException | ParseException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }

    private static byte[] secret(AuthProperties properties, Path dataDir) {
        if (properties.jwtSecret() != null && !properties.jwtSecret().isBlank()) {
            byte[] bytes = properties.jwtSecret().getBytes(StandardCharsets.UTF_8);
            if (bytes.length < 32) {
                throw new IllegalStateException("parley.auth.jwt-secret must be at least 32 bytes");
            }
            return bytes;
        }
        // Kept 0600 in the 0700 data folder: whoever reads it can sign a token for any user.
        return SecretFiles.readOrCreateKey(dataDir.resolve("jwt-secret"), 32);
    }
}

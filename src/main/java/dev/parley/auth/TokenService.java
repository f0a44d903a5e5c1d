package dev.parley.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.parley.common.SecretFiles;
import dev.parley.config.ParleyProperties;
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

    TokenService(AuthProperties properties, ParleyProperties parley, Clock clock) {
        byte[] secret = secret(properties, parley.dataDir());
        try {
            this.signer = new MACSigner(secret);
            this.verifier = new MACVerifier(secret);
        } catch (JOSEException e) {
            throw new IllegalStateException("parley.auth.jwt-secret must be at least 32 bytes", e);
        }
        this.properties = properties;
        this.clock = clock;
    }

    public String issue(UUID userId) {
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(userId.toString())
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

    /** The user id of a valid token of ours; empty for anything expired, forged, malformed or foreign. */
    Optional<UUID> verify(SignedJWT jwt) {
        try {
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Instant now = clock.instant();
            if (claims.getExpirationTime() == null
                    || claims.getExpirationTime().toInstant().plusSeconds(CLOCK_SKEW_SECONDS).isBefore(now)
                    || !properties.issuer().equals(claims.getIssuer())
                    || !claims.getAudience().equals(List.of(properties.issuer()))
                    || claims.getSubject() == null) {
                return Optional.empty();
            }
            return Optional.of(UUID.fromString(claims.getSubject()));
        } catch (JOSEException | ParseException | IllegalArgumentException e) {
            return Optional.empty();
        }
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

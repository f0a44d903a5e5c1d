package dev.parley.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.parley.user.UserService;
import java.io.Closeable;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.event.EventListener;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * Integration mode: accepts the host app's JWTs, verified against its JWKS, and provisions the user they name.
 * Only the configured asymmetric algorithms are accepted, so neither {@code none} nor an HMAC "signed" with
 * the public key can pass. Anything the verifier cannot check, including an unreachable JWKS, is a rejected
 * token (401), never a server error.
 */
@Component
@Conditional(JwksTokenVerifier.JwksConfigured.class)
class JwksTokenVerifier implements ExternalTokenVerifier, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(JwksTokenVerifier.class);
    private static final int HTTP_TIMEOUT_MILLIS = 2_000;
    private static final int JWKS_SIZE_LIMIT_BYTES = 256 * 1024;
    private static final long JWKS_CACHE_TTL_MILLIS = Duration.ofMinutes(10).toMillis();
    private static final long JWKS_REFRESH_TIMEOUT_MILLIS =
            Duration.ofSeconds(15).toMillis();
    private static final long KEY_SOURCE_WARNING_INTERVAL_MILLIS =
            Duration.ofMinutes(1).toMillis();

    private final AuthProperties.Jwks config;
    private final JWKSource<SecurityContext> keys;
    private final DefaultJWTProcessor<SecurityContext> processor;
    private final ExternalUsers users;
    private final Clock clock;
    private final AtomicLong lastKeySourceWarning = new AtomicLong(Long.MIN_VALUE);

    JwksTokenVerifier(AuthProperties properties, UserService users, Clock clock) {
        this.config = properties.jwks();
        URL jwksUrl = validate(properties);
        this.clock = clock;
        this.keys = JWKSourceBuilder.<SecurityContext>create(
                        jwksUrl,
                        new DefaultResourceRetriever(HTTP_TIMEOUT_MILLIS, HTTP_TIMEOUT_MILLIS, JWKS_SIZE_LIMIT_BYTES))
                .cache(JWKS_CACHE_TTL_MILLIS, JWKS_REFRESH_TIMEOUT_MILLIS)
                .retrying(true)
                .build();
        this.processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms(config.algorithms()), keys));
        // Plain JWTs and RFC 9068 access tokens; an ID token of another type must not double as an access token.
        processor.setJWSTypeVerifier(
                new DefaultJOSEObjectTypeVerifier<>(null, JOSEObjectType.JWT, new JOSEObjectType("at+jwt")));
        DefaultJWTClaimsVerifier<SecurityContext> claims =
                new DefaultJWTClaimsVerifier<>(
                        Set.of(config.audience()),
                        new JWTClaimsSet.Builder().issuer(config.issuer()).build(),
                        Set.of("sub", "exp"),
                        null) {
                    @Override
                    protected Date currentTime() {
                        return Date.from(JwksTokenVerifier.this.clock.instant());
                    }
                };
        claims.setMaxClockSkew(TokenService.CLOCK_SKEW_SECONDS);
        processor.setJWTClaimsSetVerifier(claims);
        this.users = new ExternalUsers(users, clock, config.profileRefresh(), config.userCacheSize());
        log.info(
                "integration_mode_enabled jwks_uri={} issuer={} audience={} algorithms={}",
                config.uri(),
                config.issuer(),
                config.audience(),
                config.algorithms());
    }

    @Override
    public Optional<UUID> verify(SignedJWT jwt) {
        JWTClaimsSet claims;
        try {
            claims = processor.process(jwt, null);
        } catch (KeySourceException e) {
            warnKeySource(e);
            return Optional.empty();
        } catch (BadJOSEException | JOSEException e) {
            log.debug("external_token_rejected reason={}", e.getMessage());
            return Optional.empty();
        }
        String subject = claims.getSubject();
        if (subject == null || subject.isBlank() || subject.length() > 255) {
            return Optional.empty();
        }
        return users.resolve(ExternalProfile.from(claims, config));
    }

    /** A suspended or deleted user's next token is looked up again, and refused. */
    @EventListener
    void revoked(AccessRevoked revoked) {
        if (revoked.sessionId() == null) {
            users.forget(revoked.userId());
        }
    }

    /** While the JWKS is down every request lands here; one warning a minute says so without flooding the log. */
    private void warnKeySource(KeySourceException e) {
        long now = clock.millis();
        long last = lastKeySourceWarning.get();
        if ((last == Long.MIN_VALUE || now - last >= KEY_SOURCE_WARNING_INTERVAL_MILLIS)
                && lastKeySourceWarning.compareAndSet(last, now)) {
            log.warn(
                    "jwks_unavailable uri={} reason={}: host-app tokens are rejected until it answers",
                    config.uri(),
                    e.getMessage());
        } else {
            log.debug("jwks_unavailable reason={}", e.getMessage());
        }
    }

    @Override
    public void destroy() throws IOException {
        if (keys instanceof Closeable closeable) {
            closeable.close();
        }
    }

    /** Fails start-up with a message naming the setting, rather than rejecting every token at run time. */
    private static URL validate(AuthProperties properties) {
        AuthProperties.Jwks jwks = properties.jwks();
        if (!StringUtils.hasText(jwks.issuer()) || !StringUtils.hasText(jwks.audience())) {
            throw new IllegalStateException("Integration mode (parley.auth.jwks.uri is set) also needs "
                    + "parley.auth.jwks.issuer and parley.auth.jwks.audience: the host app's token issuer and the "
                    + "audience its tokens carry for Parley");
        }
        if (jwks.issuer().equals(properties.issuer())) {
            throw new IllegalStateException("parley.auth.jwks.issuer must differ from parley.auth.issuer ("
                    + properties.issuer() + "): tokens are routed to Parley's own verifier by their issuer");
        }
        if (jwks.profileRefresh() == null || jwks.profileRefresh().isNegative()) {
            throw new IllegalStateException("parley.auth.jwks.profile-refresh must not be negative");
        }
        try {
            URI uri = new URI(jwks.uri().strip());
            if (!"https".equalsIgnoreCase(uri.getScheme()) && !"http".equalsIgnoreCase(uri.getScheme())) {
                throw new IllegalStateException("parley.auth.jwks.uri must be an http(s) URL, got " + jwks.uri());
            }
            return uri.toURL();
        } catch (URISyntaxException | MalformedURLException | IllegalArgumentException e) {
            throw new IllegalStateException("parley.auth.jwks.uri is not a valid URL: " + jwks.uri(), e);
        }
    }

    private static Set<JWSAlgorithm> algorithms(List<String> names) {
        if (names == null || names.isEmpty()) {
            throw new IllegalStateException("parley.auth.jwks.algorithms must name at least one algorithm, e.g. RS256");
        }
        Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
        for (String name : names) {
            JWSAlgorithm algorithm = JWSAlgorithm.parse(name.strip());
            // HMAC would verify with a key the host app publishes, i.e. anyone could sign; "none" signs nothing.
            if (!JWSAlgorithm.Family.SIGNATURE.contains(algorithm)) {
                throw new IllegalStateException("parley.auth.jwks.algorithms: " + name
                        + " is not an asymmetric signature algorithm (use e.g. RS256, PS256, ES256 or EdDSA)");
            }
            algorithms.add(algorithm);
        }
        return algorithms;
    }

    /** Integration mode is on when {@code parley.auth.jwks.uri} has a value. */
    static final class JwksConfigured implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return StringUtils.hasText(context.getEnvironment().getProperty("parley.auth.jwks.uri"));
        }
    }
}

package dev.parley.push.providers;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.parley.common.DataProperties;
import dev.parley.common.SecretFiles;
import dev.parley.push.PushProperties;
import java.net.URI;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The server's VAPID identity (RFC 8292): configured keys, or a pair made on first start and kept in the data
 * folder ({@code vapid-keys}, 0600) so that subscriptions made against its public key keep working across
 * restarts. Every node of a cluster must share it: configure the keys, or share the data folder.
 */
@Component
public class VapidKeys {

    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODE = Base64.getUrlDecoder();
    /** RFC 8292 allows at most 24 h; the token is reused for most of that, per push service origin. */
    private static final Duration LIFETIME = Duration.ofHours(12);

    private record Token(String value, Instant renewAt) {}

    private final ECPublicKey publicKey;
    private final ECPrivateKey privateKey;
    private final String publicKeyText;
    private final String subject;
    private final Clock clock;
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();

    VapidKeys(PushProperties properties, DataProperties data, Clock clock) {
        PushProperties.WebPush config = properties.webpush();
        String[] pair;
        if (config.publicKey() != null && config.privateKey() != null) {
            pair = new String[] {config.publicKey().strip(), config.privateKey().strip()};
        } else {
            pair = SecretFiles.readOrCreateText(data.dataDir().resolve("vapid-keys"), () -> {
                        KeyPair fresh = EcKeys.generate();
                        return B64URL.encodeToString(EcKeys.raw((ECPublicKey) fresh.getPublic())) + "\n"
                                + B64URL.encodeToString(EcKeys.raw((ECPrivateKey) fresh.getPrivate()));
                    })
                    .split("\\s+");
        }
        this.publicKey = EcKeys.publicKey(DECODE.decode(pair[0]));
        this.privateKey = EcKeys.privateKey(DECODE.decode(pair[1]));
        this.publicKeyText = B64URL.encodeToString(EcKeys.raw(publicKey));
        this.subject = config.subject();
        this.clock = clock;
    }

    /** The application server key browsers subscribe with: the raw public point, base64url. */
    public String publicKey() {
        return publicKeyText;
    }

    /** The {@code Authorization} header for a request to {@code endpoint}: {@code vapid t=<jwt>, k=<key>}. */
    String authorization(URI endpoint) {
        String audience = endpoint.getScheme() + "://" + endpoint.getRawAuthority();
        Instant now = clock.instant();
        Token token = tokens.get(audience);
        if (token == null || !now.isBefore(token.renewAt())) {
            token = new Token(sign(audience, now.plus(LIFETIME)), now.plus(LIFETIME.dividedBy(2)));
            tokens.put(audience, token);
        }
        return "vapid t=" + token.value() + ", k=" + publicKeyText;
    }

    private String sign(String audience, Instant expires) {
        try {
            JWTClaimsSet claims = new JWTClaimsSet.Builder()
                    .audience(audience)
                    .expirationTime(Date.from(expires))
                    .subject(subject)
                    .build();
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.ES256), claims);
            jwt.sign(new ECDSASigner(privateKey));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("VAPID signing failed", e);
        }
    }
}

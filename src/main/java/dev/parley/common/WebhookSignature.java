package dev.parley.common;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code Parley-Webhook-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<raw body>">}, keyed with the shared
 * secret (its UTF-8 bytes). A receiver recomputes it over the raw body and compares in constant time, and
 * refuses timestamps far from its clock (replays). The same signature goes on every request Parley makes to the
 * host app: webhook deliveries, the moderation hook and the contacts lookup (over its query string).
 */
public final class WebhookSignature {

    private WebhookSignature() {}

    /** The header's value for {@code body} sent at {@code timestamp} (epoch seconds). */
    public static String sign(String secret, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1=" + HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}

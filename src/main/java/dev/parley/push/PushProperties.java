package dev.parley.push;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code parley.push.*}. A provider whose settings are absent is off on this node: its devices can still be
 * registered, and this node's workers leave their pushes to nodes that have the provider; a push that no node sends
 * within {@code expiry} is dropped (counted as {@code failed{reason="expired"}}).
 *
 * @param enabled false stops the notify consumer and the push workers on this node (no push notifications, no
 *     webhooks); the devices API still answers
 * @param maxDevicesPerUser devices one account may register; the oldest is replaced beyond it
 * @param interval how often each node looks for new log events and due pushes when idle
 * @param batch pushes one worker claims at a time
 * @param concurrency provider requests one node has in flight at once (over HTTP/2 they share a connection;
 *     over HTTP/1.1, as to a plain-http gateway, each is a pooled connection: keep it under the gateway's idle
 *     connection limit, or reused connections it closed fail and are retried a second later)
 * @param lease how long a claimed push is held before another worker may send it again (a worker that died)
 * @param maxAttempts tries of one push (429/5xx answers, network errors) before it is dropped
 * @param expiry how long a queued push may wait (for a provider's Retry-After, or for a node that has its
 *     provider) before it is dropped: a notification that late is no longer news
 */
@ConfigurationProperties("parley.push")
public record PushProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("10") int maxDevicesPerUser,
        @DefaultValue("200ms") Duration interval,
        @DefaultValue("500") int batch,
        @DefaultValue("128") int concurrency,
        @DefaultValue("60s") Duration lease,
        @DefaultValue("8") int maxAttempts,
        @DefaultValue("24h") Duration expiry,
        @DefaultValue Fcm fcm,
        @DefaultValue Apns apns,
        @DefaultValue WebPush webpush) {

    public PushProperties {
        if (maxDevicesPerUser < 1 || batch < 1 || concurrency < 1 || maxAttempts < 1) {
            throw new IllegalArgumentException(
                    "parley.push: max-devices-per-user, batch, concurrency and max-attempts must be >= 1");
        }
        if (interval == null || interval.toMillis() < 1 || lease == null || lease.toSeconds() < 1) {
            throw new IllegalArgumentException("parley.push: interval must be >= 1ms and lease >= 1s");
        }
        if (expiry == null || expiry.toSeconds() < 1) {
            throw new IllegalArgumentException("parley.push: expiry must be >= 1s");
        }
    }

    /**
     * FCM HTTP v1: a service account's JSON key ({@code credentials-file}); {@code project-id} defaults to the
     * key's. {@code endpoint} and {@code token-uri} are overridable for tests and private gateways.
     */
    public record Fcm(
            Path credentialsFile,
            String projectId,
            @DefaultValue("https://fcm.googleapis.com") URI endpoint,
            URI tokenUri) {

        public boolean configured() {
            return credentialsFile != null;
        }
    }

    /**
     * APNs with token authentication: the .p8 key ({@code signing-key-file}), its {@code key-id}, the
     * {@code team-id} and the app's bundle id ({@code topic}). {@code host} is api.push.apple.com, or
     * api.sandbox.push.apple.com for development builds; {@code trusted-certificate-file} (PEM) replaces the
     * JDK's trust store, for tests and private gateways.
     */
    public record Apns(
            Path signingKeyFile,
            String keyId,
            String teamId,
            String topic,
            @DefaultValue("api.push.apple.com") String host,
            @DefaultValue("443") int port,
            Path trustedCertificateFile) {

        public boolean configured() {
            return signingKeyFile != null;
        }
    }

    /**
     * Web Push with VAPID. Without both keys (base64url: the raw 65-byte public point and the 32-byte private
     * scalar) a key pair is made on first start and kept in the data folder ({@code vapid-keys}, mode 0600).
     * {@code subject} is the contact (mailto: or https:) push services may use. Subscription endpoints must be
     * https; {@code allow-insecure-loopback} also lets http endpoints on loopback addresses through, for
     * development only.
     */
    public record WebPush(
            String publicKey,
            String privateKey,
            @DefaultValue("mailto:admin@localhost") String subject,
            @DefaultValue("false") boolean allowInsecureLoopback,
            @DefaultValue("24h") Duration ttl) {}

    /** Network timeout of one provider request. */
    public Duration requestTimeout() {
        return Duration.ofSeconds(10);
    }
}

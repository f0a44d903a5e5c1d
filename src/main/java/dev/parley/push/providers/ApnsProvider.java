package dev.parley.push.providers;

import com.eatthepath.pushy.apns.ApnsClient;
import com.eatthepath.pushy.apns.ApnsClientBuilder;
import com.eatthepath.pushy.apns.DeliveryPriority;
import com.eatthepath.pushy.apns.PushNotificationResponse;
import com.eatthepath.pushy.apns.PushType;
import com.eatthepath.pushy.apns.auth.ApnsSigningKey;
import com.eatthepath.pushy.apns.util.SimpleApnsPayloadBuilder;
import com.eatthepath.pushy.apns.util.SimpleApnsPushNotification;
import dev.parley.push.Platform;
import dev.parley.push.PushProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Component;

/**
 * APNs over HTTP/2 with token authentication (a .p8 key), through Pushy. {@code apns-collapse-id} collapses a
 * conversation's pushes; 410, {@code Unregistered} and {@code BadDeviceToken} mean the token is gone.
 * {@code conversation.read} goes as a background push ({@code content-available}, no alert).
 */
@Component
class ApnsProvider implements PushProvider, AutoCloseable {

    /** How long APNs keeps trying a device that is off (a notification older than this is stale). */
    private static final Duration EXPIRY = Duration.ofHours(24);

    private static final Set<String> GONE = Set.of("Unregistered", "BadDeviceToken", "DeviceTokenNotForTopic");

    private final ApnsClient client;
    private final String topic;
    private final Clock clock;

    ApnsProvider(PushProperties properties, Clock clock) {
        PushProperties.Apns config = properties.apns();
        this.topic = config.topic();
        this.clock = clock;
        if (!config.configured()) {
            this.client = null;
            return;
        }
        try {
            ApnsClientBuilder builder = new ApnsClientBuilder()
                    .setApnsServer(config.host(), config.port())
                    .setSigningKey(ApnsSigningKey.loadFromPkcs8File(
                            config.signingKeyFile().toFile(), config.teamId(), config.keyId()));
            if (config.trustedCertificateFile() != null) {
                builder.setTrustedServerCertificateChain(
                        config.trustedCertificateFile().toFile());
            }
            this.client = builder.build();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the APNs settings (parley.push.apns.*)", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("parley.push.apns.signing-key-file is not a usable .p8 key", e);
        }
    }

    @Override
    public Platform platform() {
        return Platform.APNS;
    }

    @Override
    public boolean configured() {
        return client != null;
    }

    @Override
    public CompletableFuture<Outcome> send(PushTarget target, PushPayload payload) {
        SimpleApnsPayloadBuilder aps = new SimpleApnsPayloadBuilder();
        aps.setBadgeNumber((int) Math.min(payload.badge(), Integer.MAX_VALUE));
        payload.fields().forEach((name, value) -> {
            if (!name.equals("title") && !name.equals("body") && !name.equals("badge")) {
                aps.addCustomProperty(name, value);
            }
        });
        boolean background = payload.dataOnly();
        if (background) {
            aps.setContentAvailable(true);
        } else {
            aps.setAlertTitle(payload.title());
            aps.setAlertBody(payload.body() != null ? payload.body() : payload.title() == null ? "New message" : null);
            aps.setSound("default");
            aps.setThreadId(payload.conversationId().toString());
        }
        SimpleApnsPushNotification notification = new SimpleApnsPushNotification(
                target.token(),
                topic,
                aps.build(),
                clock.instant().plus(EXPIRY),
                background ? DeliveryPriority.CONSERVE_POWER : DeliveryPriority.IMMEDIATE,
                background ? PushType.BACKGROUND : PushType.ALERT,
                payload.collapseId());
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        client.sendNotification(notification)
                .whenComplete((response, error) ->
                        outcome.complete(error != null ? Outcome.retry("io", null) : outcome(response)));
        return outcome;
    }

    private static Outcome outcome(PushNotificationResponse<SimpleApnsPushNotification> response) {
        if (response.isAccepted()) {
            return Outcome.sent();
        }
        String reason = response.getRejectionReason().orElse("");
        if (response.getStatusCode() == 410 || GONE.contains(reason)) {
            return Outcome.gone(reason.isEmpty() ? "http_410" : reason.toLowerCase(Locale.ROOT));
        }
        Outcome byStatus = Outcome.ofHttpStatus(response.getStatusCode(), null);
        return byStatus.kind() == Outcome.Kind.SENT ? Outcome.failed("rejected") : byStatus;
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
    }
}

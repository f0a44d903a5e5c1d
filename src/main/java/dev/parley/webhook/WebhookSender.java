package dev.parley.webhook;

import dev.parley.common.LogThrottle;
import dev.parley.common.PeriodicWork;
import dev.parley.common.WebhookSignature;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Posts webhook deliveries in order: the oldest first, the next only once it is acknowledged (2xx), so a receiver
 * sees events in log order. One node at a time sends (an advisory lock held for the request, bounded by
 * {@code parley.webhook.timeout}). A failure waits with exponential backoff (1 s doubling, at most
 * {@code max-backoff}, with jitter) and the same delivery goes again with the same {@code Parley-Webhook-Id};
 * after {@code give-up-after} (at least 24 h) it is dropped, logged and counted. Chat never waits for any of it:
 * deliveries are queued by the notify consumer, off the send path.
 */
@Component
class WebhookSender extends PeriodicWork {

    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);

    private final WebhookProperties properties;
    private final WebhookRepository deliveries;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final HttpClient http;
    private final Counter delivered;
    private final Counter retried;
    private final Counter dropped;
    private final AtomicReference<Instant> oldestPending = new AtomicReference<>();
    private final LogThrottle failures = new LogThrottle(Duration.ofMinutes(1));

    WebhookSender(
            WebhookProperties properties,
            WebhookRepository deliveries,
            TransactionTemplate transactions,
            TaskScheduler scheduler,
            Clock clock,
            MeterRegistry registry) {
        super(scheduler, properties.interval(), "Webhook sending failed");
        this.properties = properties;
        this.deliveries = deliveries;
        this.transactions = transactions;
        this.clock = clock;
        this.http = HttpClient.newBuilder()
                .connectTimeout(properties.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.delivered = Counter.builder("webhook.deliveries")
                .tag("outcome", "delivered")
                .description("Webhook deliveries acknowledged with 2xx")
                .register(registry);
        this.retried = Counter.builder("webhook.retries")
                .description("Webhook delivery attempts that failed")
                .register(registry);
        this.dropped = Counter.builder("webhook.deliveries")
                .tag("outcome", "dropped")
                .description("Webhook deliveries given up after parley.webhook.give-up-after")
                .register(registry);
        Gauge.builder("webhook.lag.seconds", this, WebhookSender::lagSeconds)
                .description("Age of the oldest webhook delivery not yet acknowledged")
                .register(registry);
    }

    private double lagSeconds() {
        Instant oldest = oldestPending.get();
        return oldest == null
                ? 0
                : Math.max(0, Duration.between(oldest, clock.instant()).toMillis() / 1000.0);
    }

    /** Sends due deliveries in order until one fails or none is due; returns how many were acknowledged. */
    int drain() {
        int sent = 0;
        while (active() && Boolean.TRUE.equals(transactions.execute(status -> sendHead()))) {
            sent++;
        }
        return sent;
    }

    /** True when the head was acknowledged (or dropped) and the next may go now. */
    private boolean sendHead() {
        if (!deliveries.claimSender()) {
            return false;
        }
        Optional<WebhookRepository.Delivery> head = deliveries.head();
        oldestPending.set(head.map(WebhookRepository.Delivery::createdAt).orElse(null));
        Instant now = clock.instant();
        if (head.isEmpty() || head.get().nextAttemptAt().isAfter(now)) {
            return false;
        }
        WebhookRepository.Delivery delivery = head.get();
        if (delivery.createdAt().plus(properties.giveUpAfter()).isBefore(now)) {
            deliveries.delete(delivery.seq());
            dropped.increment();
            log.error(
                    "webhook_delivery_dropped delivery_id={} events={} attempts={} first_queued_at={}",
                    delivery.deliveryId(),
                    delivery.events(),
                    delivery.attempts(),
                    delivery.createdAt());
            return true;
        }
        long timestamp = now.getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(properties.url())
                .timeout(properties.timeout())
                .header("Content-Type", "application/json")
                .header("Parley-Webhook-Id", delivery.deliveryId().toString())
                .header("Parley-Webhook-Timestamp", Long.toString(timestamp))
                .header(
                        "Parley-Webhook-Signature",
                        WebhookSignature.sign(properties.secret(), timestamp, delivery.body()))
                .POST(HttpRequest.BodyPublishers.ofString(delivery.body()))
                .build();
        Integer status = null;
        String error;
        try {
            status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            error = status >= 200 && status < 300 ? null : "HTTP " + status;
        } catch (IOException e) {
            error = e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        if (error == null) {
            deliveries.delete(delivery.seq());
            delivered.increment();
            return true;
        }
        retried.increment();
        deliveries.failed(delivery.seq(), now.plus(backoff(delivery.attempts() + 1)), status, error);
        if (failures.due()) {
            log.warn(
                    "webhook_receiver_failing url={} delivery_id={} attempts={} error={}; retrying with backoff",
                    properties.url(),
                    delivery.deliveryId(),
                    delivery.attempts() + 1,
                    error);
        }
        return false;
    }

    private Duration backoff(int attempts) {
        return backoff(attempts, Duration.ofSeconds(1), properties.maxBackoff());
    }

    @Override
    protected boolean enabled() {
        return properties.enabled();
    }

    @Override
    protected void turn() {
        drain();
    }
}

package dev.parley.push.dispatch;

import dev.parley.common.PeriodicWork;
import dev.parley.push.Platform;
import dev.parley.push.PushProperties;
import dev.parley.push.devices.DeviceService;
import dev.parley.push.providers.Outcome;
import dev.parley.push.providers.PushPayload;
import dev.parley.push.providers.PushProvider;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends queued pushes: claims a batch (any node, {@code FOR UPDATE SKIP LOCKED} with a lease), sends them all at
 * once through their providers, then settles each: accepted ones leave the queue, a device its provider reports
 * gone is deleted, 429/5xx and network failures wait (the provider's {@code Retry-After}, else exponential
 * backoff with jitter, at most 10 minutes) until {@code max-attempts}, other refusals are dropped. A node that
 * dies mid-batch leaves leases that expire, and those pushes go again: delivery is at least once, and the
 * collapse id (the conversation) makes a repeat replace the earlier notification on the device.
 */
@Component
class PushWorker extends PeriodicWork {

    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(10);
    private static final Duration DEPTH_EVERY = Duration.ofSeconds(5);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(20);

    private final PushQueue queue;
    private final Map<Platform, PushProvider> providers = new EnumMap<>(Platform.class);
    private final DeviceService devices;
    private final PushMetrics metrics;
    private final PushProperties properties;
    private final Clock clock;
    private final JsonMapper json;
    private final Semaphore inFlight;
    private volatile Instant depthDue = Instant.MIN;

    PushWorker(
            PushQueue queue,
            List<PushProvider> providers,
            DeviceService devices,
            PushMetrics metrics,
            TaskScheduler scheduler,
            PushProperties properties,
            Clock clock,
            JsonMapper json) {
        super(scheduler, properties.interval(), "Sending pushes failed; leased pushes go again when their lease ends");
        this.queue = queue;
        providers.forEach(provider -> this.providers.put(provider.platform(), provider));
        this.devices = devices;
        this.metrics = metrics;
        this.properties = properties;
        this.clock = clock;
        this.json = json;
        this.inFlight = new Semaphore(properties.concurrency());
        queue.afterQueued(this::nudge);
    }

    /** Sends until nothing is due or this node stops; returns how many pushes were settled. */
    long drain() {
        long total = whileFull(properties.batch(), this::sendBatch);
        Instant now = clock.instant();
        if (now.isAfter(depthDue)) {
            depthDue = now.plus(DEPTH_EVERY);
            metrics.depth(queue.depth());
        }
        return total;
    }

    private int sendBatch() {
        Instant now = clock.instant();
        List<PushQueue.Claimed> batch = queue.claim(properties.batch(), now, now.plus(properties.lease()));
        if (batch.isEmpty()) {
            return 0;
        }
        List<CompletableFuture<Outcome>> outcomes = new ArrayList<>(batch.size());
        for (PushQueue.Claimed push : batch) {
            // At most parley.push.concurrency requests at once: a provider (or a stand-in) flooded with
            // thousands of new connections refuses some, and each refusal costs a retry a second later.
            inFlight.acquireUninterruptibly();
            outcomes.add(send(push).whenComplete((outcome, error) -> inFlight.release()));
        }
        List<PushQueue.Claimed> sent = new ArrayList<>();
        List<PushQueue.Later> later = new ArrayList<>();
        List<Long> dropped = new ArrayList<>();
        Instant settled = clock.instant();
        for (int i = 0; i < batch.size(); i++) {
            PushQueue.Claimed push = batch.get(i);
            Outcome outcome = outcomes.get(i).join();
            metrics.record(push.target().platform(), outcome);
            switch (outcome.kind()) {
                case SENT -> sent.add(push);
                case GONE -> devices.forgetGone(push.target().deviceId());
                case RETRY -> {
                    if (push.attempts() >= properties.maxAttempts()) {
                        metrics.record(push.target().platform(), Outcome.failed("gave_up"));
                        dropped.add(push.pushId());
                    } else {
                        later.add(new PushQueue.Later(push.pushId(), settled.plus(delay(push.attempts(), outcome))));
                    }
                }
                case FAILED -> dropped.add(push.pushId());
            }
        }
        queue.sent(sent, settled);
        queue.later(later);
        queue.drop(dropped);
        return batch.size();
    }

    private CompletableFuture<Outcome> send(PushQueue.Claimed push) {
        PushProvider provider = providers.get(push.target().platform());
        if (provider == null || !provider.configured()) {
            return CompletableFuture.completedFuture(Outcome.failed("not_configured"));
        }
        try {
            // A provider that never answers (a stalled HTTP/2 stream) must not hold the batch: retried later.
            return provider.send(push.target(), json.readValue(push.payloadJson(), PushPayload.class))
                    .completeOnTimeout(Outcome.retry("timeout", null), SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(Outcome.failed("unsendable"));
        }
    }

    /** The provider's Retry-After when given, else 1 s doubling per attempt with jitter, at most 10 minutes. */
    static Duration delay(int attempts, Outcome outcome) {
        return outcome.retryAfter() != null ? outcome.retryAfter() : backoff(attempts, FIRST_BACKOFF, MAX_BACKOFF);
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

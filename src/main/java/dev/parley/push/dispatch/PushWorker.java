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
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends queued pushes: claims a batch (any node, {@code FOR UPDATE SKIP LOCKED} with a lease), starts their
 * requests, and claims the next batch while they are in flight (at most {@code parley.push.concurrency}); pushes
 * are settled in groups as their requests complete: accepted ones leave the queue, a device its provider reports
 * gone is deleted, 429/5xx and network failures wait (the provider's {@code Retry-After}, else exponential
 * backoff with jitter, at most 10 minutes) until {@code max-attempts}, other refusals are dropped. A node that
 * dies mid-batch leaves leases that expire, and those pushes go again: delivery is at least once, and the
 * collapse id (the conversation) makes a repeat replace the earlier notification on the device.
 *
 * <p>A worker claims only the platforms whose provider its node has configured, so that nodes configured
 * differently share one queue without dropping each other's pushes. A push that waits longer than
 * {@code parley.push.expiry} (no node has its provider, or a provider's Retry-After outlasts it) is deleted by
 * whichever node looks next and counted as {@code failed{reason="expired"}}, logged once a minute per provider.
 */
@Component
class PushWorker extends PeriodicWork {

    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(10);
    private static final Duration DEPTH_EVERY = Duration.ofSeconds(5);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(20);
    private static final Logger log = LoggerFactory.getLogger(PushWorker.class);

    private final PushQueue queue;
    private final Map<Platform, PushProvider> providers = new EnumMap<>(Platform.class);
    private final DeviceService devices;
    private final PushMetrics metrics;
    private final PushProperties properties;
    private final Clock clock;
    private final JsonMapper json;
    private final Semaphore inFlight;
    private final List<Platform> sendable;
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
        providers.stream()
                .filter(PushProvider::configured)
                .forEach(provider -> this.providers.put(provider.platform(), provider));
        this.sendable = List.copyOf(this.providers.keySet());
        if (properties.enabled() && sendable.size() < Platform.values().length) {
            log.info(
                    "push_worker_platforms sends={} leaves_to_other_nodes={} expiry={}",
                    sendable,
                    Arrays.stream(Platform.values())
                            .filter(p -> !sendable.contains(p))
                            .toList(),
                    properties.expiry());
        }
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
        Pipeline pipeline = new Pipeline();
        long total;
        try {
            total = whileFull(properties.batch(), () -> claimAndSend(pipeline));
        } finally {
            // Everything sent is settled before the turn ends (a stopping node waits for its requests here).
            pipeline.awaitAll();
        }
        settle(pipeline);
        Instant now = clock.instant();
        if (now.isAfter(depthDue)) {
            depthDue = now.plus(DEPTH_EVERY);
            queue.expire(now.minus(properties.expiry()))
                    .forEach(platform -> metrics.record(platform, Outcome.failed("expired")));
            metrics.depth(queue.depth());
        }
        return total;
    }

    /**
     * Claims a batch and starts its requests, without waiting for them: the next batch is claimed while these are
     * in flight (at most {@code parley.push.concurrency} at once), so a slow request never holds the pushes
     * behind it. Pushes stay leased until settled, in groups, as their requests complete.
     */
    private int claimAndSend(Pipeline pipeline) {
        if (sendable.isEmpty()) {
            return 0;
        }
        Instant now = clock.instant();
        List<PushQueue.Claimed> batch = queue.claim(properties.batch(), now, now.plus(properties.lease()), sendable);
        for (PushQueue.Claimed push : batch) {
            // At most parley.push.concurrency requests at once: a provider (or a stand-in) flooded with
            // thousands of new connections refuses some, and each refusal costs a retry a second later.
            inFlight.acquireUninterruptibly();
            pipeline.started(push, send(push).whenComplete((outcome, error) -> inFlight.release()));
        }
        settle(pipeline);
        return batch.size();
    }

    /** Settles the pushes whose requests completed: a few statements for all of them. */
    private void settle(Pipeline pipeline) {
        List<Sent> completed = pipeline.completed();
        if (completed.isEmpty()) {
            return;
        }
        List<PushQueue.Claimed> sent = new ArrayList<>();
        List<PushQueue.Later> later = new ArrayList<>();
        List<Long> dropped = new ArrayList<>();
        Instant settled = clock.instant();
        for (Sent done : completed) {
            PushQueue.Claimed push = done.push();
            Outcome outcome = done.outcome();
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
        settling(() -> queue.sent(sent, settled));
        settling(() -> queue.later(later));
        settling(() -> queue.drop(dropped));
    }

    /**
     * Runs a settling statement, again if PostgreSQL chose it as a deadlock's loser: the consumer upserts the same
     * rows (a newer payload for a push in flight) in its own order. Each statement is safe to repeat; a failure
     * left standing would keep pushes the provider accepted leased, to be sent again when the lease ends.
     */
    private static void settling(Runnable statement) {
        for (int attempt = 1; ; attempt++) {
            try {
                statement.run();
                return;
            } catch (PessimisticLockingFailureException lost) {
                if (attempt == 3) {
                    throw lost;
                }
            }
        }
    }

    /** A push whose request completed, with what the provider answered. */
    private record Sent(PushQueue.Claimed push, Outcome outcome) {}

    /** The requests one turn started: those completed wait here to be settled. */
    private static final class Pipeline {

        private final Queue<Sent> completed = new ConcurrentLinkedQueue<>();
        private final List<CompletableFuture<?>> pending = new ArrayList<>();

        void started(PushQueue.Claimed push, CompletableFuture<Outcome> request) {
            pending.removeIf(CompletableFuture::isDone);
            pending.add(request.handle((outcome, error) -> {
                // send() turns every failure into an outcome; an error here is a bug, and the push goes again.
                completed.add(new Sent(push, error == null ? outcome : Outcome.retry("unexpected", null)));
                return null;
            }));
        }

        List<Sent> completed() {
            List<Sent> done = new ArrayList<>();
            for (Sent next; (next = completed.poll()) != null; ) {
                done.add(next);
            }
            return done;
        }

        void awaitAll() {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
        }
    }

    private CompletableFuture<Outcome> send(PushQueue.Claimed push) {
        PushProvider provider = providers.get(push.target().platform()); // claimed: one of this node's
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

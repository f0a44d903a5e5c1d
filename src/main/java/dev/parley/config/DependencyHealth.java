package dev.parley.config;

import dev.parley.common.Outages;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The health of one dependency (database, Redis, object store), answered within a deadline whatever the
 * dependency does: the check runs on a virtual thread of its own and a probe waits for it at most
 * {@code parley.health.timeout}; a check still hanging from an earlier probe is not started again, and later probes
 * answer at once until it ends. So readiness answers within its probe's timeout even when a dependency's host
 * swallows packets.
 *
 * <p>A failing check reports {@link #failing}: DOWN for the database, which the node cannot serve without, and
 * {@link #DEGRADED} for Redis and the object store, which only some features need (see HealthConfig). The last
 * result is the gauge {@code dependency_up{dependency}}, and each change is logged once (down, then back).
 */
public final class DependencyHealth implements HealthIndicator {

    /** Reachable features work, others refuse with 503: the node still serves (HTTP 200 on readiness). */
    public static final Status DEGRADED = new Status(
            "DEGRADED", "A dependency some features need is unreachable; those features answer 503 until it is back");

    private static final Logger log = LoggerFactory.getLogger(DependencyHealth.class);

    private record Check(CompletableFuture<Health> result, long startedNanos) {}

    private final String name;
    private final Callable<Health> check;
    private final Status failing;
    private final Duration timeout;
    private final Clock clock;
    private Check current;
    /** The failure since when, or null while up. */
    private final AtomicReference<String> failingSince = new AtomicReference<>();

    DependencyHealth(
            String name,
            Callable<Health> check,
            Status failing,
            Duration timeout,
            Clock clock,
            MeterRegistry registry) {
        this.name = name;
        this.check = check;
        this.failing = failing;
        this.timeout = timeout;
        this.clock = clock;
        Gauge.builder("dependency.up", failingSince, since -> since.get() == null ? 1 : 0)
                .tag("dependency", name)
                .description("1 while the dependency answered its last health check, 0 after a failed one")
                .register(registry);
    }

    @Override
    public Health health() {
        Check running = running();
        long left = timeout.toNanos() - (System.nanoTime() - running.startedNanos());
        try {
            return running.result().get(Math.max(0, left), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return failed("no answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            return failed(describe(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed("interrupted");
        }
    }

    /** Starts a check unless one is running, without waiting for it (keeps the gauge and the log current). */
    void refresh() {
        running();
    }

    private synchronized Check running() {
        if (current == null || current.result().isDone()) {
            CompletableFuture<Health> result = new CompletableFuture<>();
            current = new Check(result, System.nanoTime());
            Thread.ofVirtual().name("health-" + name).start(() -> {
                try {
                    Health health = check.call();
                    result.complete(
                            Status.UP.equals(health.getStatus())
                                    ? up(health)
                                    : failed(
                                            String.valueOf(health.getDetails().getOrDefault("error", "check failed"))));
                } catch (Exception | LinkageError e) {
                    result.complete(failed(describe(e)));
                }
            });
        }
        return current;
    }

    private Health up(Health health) {
        String since = failingSince.getAndSet(null);
        if (since != null) {
            log.info("dependency_up dependency={} failing_since={}", name, since);
        }
        return health;
    }

    private Health failed(String reason) {
        String now = clock.instant().toString();
        String since = failingSince.compareAndExchange(null, now);
        if (since == null) {
            since = now;
            log.warn("dependency_failing dependency={} status={} error=\"{}\"", name, failing.getCode(), reason);
        }
        return Health.status(failing)
                .withDetail("error", reason)
                .withDetail("since", since)
                .build();
    }

    private static String describe(Throwable e) {
        String text = Outages.rootCause(e);
        return text.length() > 300 ? text.substring(0, 300) : text;
    }
}

package dev.parley.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/** A dependency that hangs never holds a probe longer than the timeout, nor piles up checks. */
class DependencyHealthTest {

    private static final Duration TIMEOUT = Duration.ofMillis(300);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void aHangingCheckAnswersAtTheTimeoutAndIsNotStartedTwice() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        DependencyHealth health = new DependencyHealth(
                "redis",
                () -> {
                    started.incrementAndGet();
                    release.await();
                    return Health.up().build();
                },
                DependencyHealth.DEGRADED,
                TIMEOUT,
                Clock.systemUTC(),
                registry);

        long before = System.nanoTime();
        Health first = health.health();
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isBetween(TIMEOUT, TIMEOUT.multipliedBy(5));
        assertThat(first.getStatus()).isEqualTo(DependencyHealth.DEGRADED);
        assertThat(first.getDetails())
                .containsEntry("error", "no answer within 300 ms")
                .containsKey("since");
        assertThat(gauge()).isZero();

        // The check still hangs: the next probe answers at once, without starting another.
        before = System.nanoTime();
        assertThat(health.health().getStatus()).isEqualTo(DependencyHealth.DEGRADED);
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(TIMEOUT);
        assertThat(started).hasValue(1);

        release.countDown();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> health.health().getStatus().equals(Status.UP));
        assertThat(gauge()).isOne();
    }

    @Test
    void aRequiredDependencyThatFailsIsDownWithItsCause() {
        DependencyHealth health = new DependencyHealth(
                "database",
                () -> {
                    throw new SQLException("Connection to 127.0.0.1:5432 refused", "08001");
                },
                Status.DOWN,
                TIMEOUT,
                Clock.systemUTC(),
                registry);

        Health down = health.health();

        assertThat(down.getStatus()).isEqualTo(Status.DOWN);
        assertThat(down.getDetails().get("error").toString()).contains("refused");
    }

    private double gauge() {
        return registry.get("dependency.up").tag("dependency", "redis").gauge().value();
    }
}

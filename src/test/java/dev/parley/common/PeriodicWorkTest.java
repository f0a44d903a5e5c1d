package dev.parley.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.scheduling.concurrent.SimpleAsyncTaskScheduler;

/** A nudge runs a turn now, not at the next interval; a stopped or never-started one runs none. */
class PeriodicWorkTest {

    /** Counts its turns; its interval is far longer than any test waits. */
    static final class Counting extends PeriodicWork {

        final AtomicInteger turns = new AtomicInteger();

        Counting(SimpleAsyncTaskScheduler scheduler) {
            super(scheduler, Duration.ofHours(1), "test work failed");
        }

        @Override
        protected void turn() {
            turns.incrementAndGet();
        }
    }

    @Test
    void aNudgeRunsATurnAtOnceAndOnlyWhileStarted() {
        try (SimpleAsyncTaskScheduler scheduler = new SimpleAsyncTaskScheduler()) {
            Counting work = new Counting(scheduler);
            work.nudge();
            work.start();
            work.nudge();
            await().atMost(Duration.ofSeconds(5)).until(() -> work.turns.get() == 1);
            work.stop();
            work.nudge();
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> work.turns.get() == 1);
            assertThat(work.turns.get())
                    .as("the nudge before start and the one after stop ran nothing")
                    .isEqualTo(1);
        }
    }
}

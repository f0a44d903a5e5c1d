package dev.parley.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.scheduling.concurrent.SimpleAsyncTaskScheduler;

/**
 * A nudge runs a turn now, not at the next interval; a stopped or never-started one runs none. A wake runs a turn
 * only while idle (the last turn found nothing), at most {@link PeriodicWork#WAKES_PER_INTERVAL} times between
 * interval turns.
 */
class PeriodicWorkTest {

    /** Counts its turns; its interval is far longer than any test waits. */
    static final class Counting extends PeriodicWork {

        final AtomicInteger turns = new AtomicInteger();

        /** What each turn reports it found (less than a batch of 10: one step). */
        volatile int finds;

        Counting(SimpleAsyncTaskScheduler scheduler) {
            super(scheduler, Duration.ofHours(1), "test work failed");
        }

        @Override
        protected void turn() {
            turns.incrementAndGet();
            whileFull(10, () -> finds);
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

    @Test
    void aWakeRunsATurnOnlyAfterAnIntervalTurnThatFoundNothing() {
        try (SimpleAsyncTaskScheduler scheduler = new SimpleAsyncTaskScheduler()) {
            Counting work = new Counting(scheduler);
            work.start();
            work.finds = 3;
            work.tick(true); // the interval's turn finds work, as at any steady rate
            work.wake(Duration.ZERO);
            work.wake(Duration.ZERO);
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> work.turns.get() == 1);
            assertThat(work.turns.get())
                    .as("the last interval turn found work: wakes add no turns")
                    .isEqualTo(1);

            work.finds = 0;
            work.tick(true); // a quiet interval
            for (int wake = 1; wake <= PeriodicWork.WAKES_PER_INTERVAL + 2; wake++) {
                work.finds = 1; // each woken turn finds work; still only so many per interval
                work.wake(Duration.ZERO);
                int expected = 2 + Math.min(wake, PeriodicWork.WAKES_PER_INTERVAL);
                await().atMost(Duration.ofSeconds(5)).until(() -> work.turns.get() == expected);
            }
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> work.turns.get() == 5);
            assertThat(work.turns.get())
                    .as("no more woken turns than the budget between two interval turns")
                    .isEqualTo(2 + PeriodicWork.WAKES_PER_INTERVAL);

            work.finds = 0;
            work.tick(true); // the next quiet interval turn renews the budget
            work.wake(Duration.ZERO);
            await().atMost(Duration.ofSeconds(5)).until(() -> work.turns.get() == 7);
            work.stop();
        }
    }
}

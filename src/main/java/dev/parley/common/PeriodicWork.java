package dev.parley.common;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;

/**
 * Background work that each node offers to do every interval (draining a queue, reading the event log), started
 * and stopped with the context: {@link #stop} waits for a turn in progress, so that none outlives the connection
 * pool, and no turn starts after it.
 */
public abstract class PeriodicWork implements SmartLifecycle {

    private final TaskScheduler scheduler;
    private final Duration interval;
    private final Object running = new Object();
    private volatile ScheduledFuture<?> task;

    protected PeriodicWork(TaskScheduler scheduler, Duration interval) {
        this.scheduler = scheduler;
        this.interval = interval;
    }

    /** One turn; may loop while there is work and {@link #active()}. Exceptions are the subclass's to log. */
    protected abstract void turn();

    /** False keeps it from being scheduled at all (a feature switched off). */
    protected boolean enabled() {
        return true;
    }

    /** True while scheduled: a long turn checks it between steps to stop early. */
    protected final boolean active() {
        return task != null;
    }

    protected final Duration interval() {
        return interval;
    }

    private void tick() {
        synchronized (running) {
            if (task != null) {
                turn();
            }
        }
    }

    @Override
    public void start() {
        if (enabled()) {
            task = scheduler.scheduleWithFixedDelay(this::tick, Instant.now().plus(interval), interval);
        }
    }

    @Override
    public void stop() {
        ScheduledFuture<?> scheduled = task;
        task = null;
        if (scheduled != null) {
            scheduled.cancel(false);
        }
        synchronized (running) {
            // Entered once no turn is in progress; none starts after, since task is null.
        }
    }

    @Override
    public boolean isRunning() {
        return task != null;
    }

    /**
     * An exponential backoff with jitter: {@code first} doubling per attempt (1-based), at most {@code max}, and
     * uniformly between half of that and all of it, so that many failing items do not retry in step.
     */
    public static Duration backoff(int attempts, Duration first, Duration max) {
        long base = first.toMillis() << Math.min(Math.max(attempts - 1, 0), 20);
        long capped = Math.min(base, max.toMillis());
        return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
    }
}

package dev.parley.common;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.scheduling.TaskScheduler;

/**
 * Background work that each node offers to do every interval (draining a queue, reading the event log), started
 * and stopped with the context: {@link #stop} waits for a turn in progress, so that none outlives the connection
 * pool, and no turn starts after it. A turn that fails is logged once a minute at most (an outage is one line per
 * minute, not one per turn) and the next turn tries again.
 */
public abstract class PeriodicWork implements SmartLifecycle {

    private final Logger log = LoggerFactory.getLogger(getClass());
    private final LogThrottle failures = new LogThrottle(Duration.ofMinutes(1));
    private final TaskScheduler scheduler;
    private final Duration interval;
    private final String failure;
    private final Object running = new Object();
    private volatile ScheduledFuture<?> task;
    private final AtomicBoolean nudged = new AtomicBoolean();

    /** {@code failure} says in the log what failed and what that leaves behind, when a turn throws. */
    protected PeriodicWork(TaskScheduler scheduler, Duration interval, String failure) {
        this.scheduler = scheduler;
        this.interval = interval;
        this.failure = failure;
    }

    /** One turn; may loop while there is work and {@link #active()}. */
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

    /**
     * Runs {@code step} (which handles at most {@code batch} items and says how many) again while it finds a full
     * batch and this node is {@link #active()}; returns the items handled in all.
     */
    protected final long whileFull(int batch, IntSupplier step) {
        long total = 0;
        int handled = batch;
        while (handled == batch && active()) {
            handled = step.getAsInt();
            total += handled;
        }
        return total;
    }

    /**
     * Asks for a turn now instead of at the next interval (another component just made work for this one, on this
     * node). At most one such turn waits; one that arrives during a turn runs right after it.
     */
    public final void nudge() {
        if (task != null && nudged.compareAndSet(false, true)) {
            try {
                scheduler.schedule(
                        () -> {
                            nudged.set(false);
                            tick();
                        },
                        Instant.now());
            } catch (TaskRejectedException stopping) {
                nudged.set(false); // the scheduler is shutting down with the context: no more turns anyway
            }
        }
    }

    private void tick() {
        synchronized (running) {
            if (task == null) {
                return;
            }
            try {
                turn();
            } catch (RuntimeException e) {
                if (failures.due()) {
                    log.warn("{}; retrying every {}", failure, interval, e);
                }
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

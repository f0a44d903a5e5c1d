package dev.parley.common;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
 *
 * <p>Work that arrives on this node can {@link #wake} an idle one instead of waiting up to an interval: a wake runs
 * a turn only when the last interval turn found nothing ({@link #whileFull} reports what each turn found), and at
 * most {@value #WAKES_PER_INTERVAL} times until the next interval turn. At a steady rate, where every interval's
 * turn finds work, wakes add no turns at all.
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

    /** Woken turns allowed between two interval turns. */
    static final int WAKES_PER_INTERVAL = 3;

    /** Whether the last interval turn found nothing (true before the first): only then does a wake run a turn. */
    private volatile boolean idle = true;

    /** What the turn in progress found, set by {@link #whileFull}; -1 when it did not say. */
    private volatile long found = -1;

    private final AtomicInteger wakesLeft = new AtomicInteger(WAKES_PER_INTERVAL);

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
        found = total;
        return total;
    }

    /**
     * Asks for a turn now instead of at the next interval (another component just made work for this one, on this
     * node). At most one such turn waits; one that arrives during a turn runs right after it.
     */
    public final void nudge() {
        schedule(Duration.ZERO);
    }

    /**
     * Asks for a turn {@code after} from now (wakes meanwhile join it) because work arrived on this node, but only
     * when idle: the last interval turn found nothing, and fewer than {@value #WAKES_PER_INTERVAL} woken turns ran
     * since. A burst that starts after a quiet spell is read at once, in up to that many turns (one may find
     * nothing yet: work of a transaction that commits after an older one still running), the rest at the next
     * interval; once interval turns find work, as at any steady rate, wakes run nothing until one finds none.
     */
    public final void wake(Duration after) {
        if (idle && !nudged.get() && wakesLeft.getAndUpdate(left -> Math.max(left - 1, 0)) > 0) {
            schedule(after);
        }
    }

    private void schedule(Duration after) {
        if (task != null && nudged.compareAndSet(false, true)) {
            try {
                scheduler.schedule(
                        () -> {
                            nudged.set(false);
                            tick(false);
                        },
                        Instant.now().plus(after));
            } catch (TaskRejectedException stopping) {
                nudged.set(false); // the scheduler is shutting down with the context: no more turns anyway
            }
        }
    }

    /** One turn: {@code scheduled} when it is the interval's, which decides whether wakes may run turns. */
    void tick(boolean scheduled) {
        synchronized (running) {
            if (task == null) {
                return;
            }
            found = -1;
            try {
                turn();
            } catch (RuntimeException e) {
                if (failures.due()) {
                    log.warn("{}; retrying every {}", failure, interval, e);
                }
            } finally {
                if (scheduled) {
                    idle = found == 0;
                    wakesLeft.set(WAKES_PER_INTERVAL);
                }
            }
        }
    }

    @Override
    public void start() {
        if (enabled()) {
            task = scheduler.scheduleWithFixedDelay(
                    () -> tick(true), Instant.now().plus(interval), interval);
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

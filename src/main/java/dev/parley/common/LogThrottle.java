package dev.parley.common;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * At most one log line per interval for a failure that repeats on every request while a dependency is down
 * (Redis, say): the first occurrence is logged at once, then one per interval; a metric counts them all.
 */
public final class LogThrottle {

    private final long intervalNanos;
    private final AtomicLong last;

    public LogThrottle(Duration interval) {
        this.intervalNanos = interval.toNanos();
        this.last = new AtomicLong(System.nanoTime() - intervalNanos);
    }

    /** True for the one caller that may log now. */
    public boolean due() {
        long now = System.nanoTime();
        long previous = last.get();
        return now - previous >= intervalNanos && last.compareAndSet(previous, now);
    }
}

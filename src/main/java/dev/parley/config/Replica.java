package dev.parley.config;

import com.zaxxer.hikari.HikariDataSource;
import dev.parley.common.Outages;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One streaming replica: its pool and what the last probe found. A replica serves reads only while
 * {@link #usable()}: reachable, in recovery (a standby), and no further behind than the lag limit. Each change of
 * that is logged once, with the reason, not once per read.
 */
final class Replica {

    private static final Logger log = LoggerFactory.getLogger(Replica.class);

    /** What the last probe (or a failed read) found: {@code UP} alone serves reads. */
    enum State {
        STARTING,
        UP,
        LAGGING,
        DOWN,
        NOT_STANDBY
    }

    private final String name;
    private final HikariDataSource pool;
    private volatile boolean usable;
    /** Bytes of WAL this replica has replayed ({@code pg_last_wal_replay_lsn()}), as of the last probe. */
    private volatile long replayed = -1;

    private volatile double lagSeconds = Double.NaN;
    private volatile double lagBytes = Double.NaN;
    /** {@link System#nanoTime} of the last probe that reached it. */
    private volatile long measuredAt;
    /** Why it is not used ("starting" before the first probe), or null while it is. */
    private String bypassed = "starting";

    private volatile State state = State.STARTING;

    Replica(String name, HikariDataSource pool) {
        this.name = name;
        this.pool = pool;
    }

    /** {@code host:port/database} of a JDBC URL, without credentials or parameters: a label for logs and metrics. */
    static String label(String jdbcUrl, int index) {
        try {
            URI uri = URI.create(jdbcUrl.substring(jdbcUrl.indexOf(':') + 1));
            if (uri.getHost() != null) {
                return uri.getHost() + ":" + (uri.getPort() < 0 ? 5432 : uri.getPort()) + uri.getPath();
            }
        } catch (IllegalArgumentException ignored) {
            // a URL java.net.URI does not take (several hosts): numbered instead
        }
        return "replica-" + (index + 1);
    }

    String name() {
        return name;
    }

    HikariDataSource pool() {
        return pool;
    }

    boolean usable() {
        return usable;
    }

    /**
     * Usable, and measured within {@code freshNanos}: a probe that stalled (say, on a replica that stopped
     * answering mid-query) leaves no replica in use on an old measurement.
     */
    boolean usable(long now, long freshNanos) {
        return usable && now - measuredAt <= freshNanos;
    }

    State state() {
        return state;
    }

    long replayed() {
        return replayed;
    }

    double lagSeconds() {
        return lagSeconds;
    }

    double lagBytes() {
        return lagBytes;
    }

    /** A probe reached it: {@code replayed} bytes replayed, {@code lag} behind the primary. */
    void measured(long replayed, double lagSeconds, double lagBytes, double maxLagSeconds) {
        this.replayed = replayed;
        this.lagSeconds = lagSeconds;
        this.lagBytes = lagBytes;
        this.measuredAt = System.nanoTime();
        if (lagSeconds > maxLagSeconds) {
            bypass(State.LAGGING, String.format("lag %.1fs over the limit of %.1fs", lagSeconds, maxLagSeconds));
        } else {
            use();
        }
    }

    /** Not a standby (pg_last_wal_replay_lsn() is null): never read from, since it would not follow the primary. */
    void notStandby() {
        lagSeconds = Double.NaN;
        lagBytes = Double.NaN;
        bypass(State.NOT_STANDBY, "not a standby (pg_is_in_recovery() is false)");
    }

    /** A probe or a read could not reach it. */
    void unreachable(Throwable failure) {
        lagSeconds = Double.NaN;
        lagBytes = Double.NaN;
        bypass(State.DOWN, "unreachable: " + Outages.rootCause(failure));
    }

    private synchronized void use() {
        state = State.UP;
        if (!usable) {
            usable = true;
            if (!"starting".equals(bypassed)) {
                log.info("replica_in_use replica={} lag_seconds={}", name, lagSeconds);
            }
            bypassed = null;
        }
    }

    private synchronized void bypass(State why, String reason) {
        state = why;
        boolean wasUsable = usable;
        usable = false;
        // Logged when it stops being used, or when a replica never used yet is found unfit, not on every probe.
        if (wasUsable || "starting".equals(bypassed)) {
            log.warn(
                    "replica_bypassed replica={} reason=\"{}\"; reads go to the primary until it recovers",
                    name,
                    reason);
        }
        bypassed = reason;
    }
}

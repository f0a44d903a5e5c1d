package dev.parley.config;

import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import dev.parley.common.PeriodicWork;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * Measures each replica every {@code probe-interval}: the primary's WAL position is sampled
 * ({@code pg_current_wal_insert_lsn()}), then each replica's replay position ({@code pg_last_wal_replay_lsn()}).
 * A replica's lag is how long ago the primary was at the oldest sample the replica has not replayed yet: 0 while
 * it has replayed everything the primary had at the latest sample, so an idle primary never looks as if its
 * replicas lagged, and a paused or slow replica shows its real delay. Exported per replica as
 * {@code database_replica_lag_seconds}, {@code database_replica_lag_bytes} and {@code database_replica_usable}.
 */
final class ReplicaProbe extends PeriodicWork {

    /** Samples of the primary are kept this long at least (and at least twice the lag limit). */
    private static final Duration HISTORY = Duration.ofMinutes(5);

    private static final int MAX_SAMPLES = 10_000;

    private record Sample(long at, long lsn) {}

    private final ThreadPoolTaskScheduler scheduler;
    private final List<Replica> replicas;
    private final ReplicaPins pins;
    private final JdbcClient primary;
    private final double maxLagSeconds;
    private final long historyNanos;
    private final Deque<Sample> samples = new ArrayDeque<>();

    ReplicaProbe(
            ThreadPoolTaskScheduler scheduler,
            ReplicaProperties properties,
            List<Replica> replicas,
            DataSource primary,
            ReplicaPins pins,
            MeterRegistry registry) {
        super(scheduler, properties.probeInterval(), "replica_probe_failed");
        this.scheduler = scheduler;
        this.replicas = List.copyOf(replicas);
        this.pins = pins;
        this.primary = JdbcClient.create(primary);
        this.maxLagSeconds = properties.maxLag().toNanos() / 1e9;
        this.historyNanos = Math.max(HISTORY.toNanos(), properties.maxLag().toNanos() * 2);
        for (Replica replica : replicas) {
            try {
                // The pool's own hikaricp_* metrics, as the primary's have (a pool takes this only before it starts).
                replica.pool().setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
            } catch (IllegalStateException started) {
                // already serving: it goes without them
            }
            Gauge.builder("database.replica.lag", replica, Replica::lagSeconds)
                    .tag("replica", replica.name())
                    .baseUnit("seconds")
                    .description("How far the replica's replay is behind the primary (NaN: unreachable)")
                    .register(registry);
            Gauge.builder("database.replica.lag.bytes", replica, Replica::lagBytes)
                    .tag("replica", replica.name())
                    .description("Bytes of WAL the primary had at the last probe that the replica had not replayed")
                    .register(registry);
            Gauge.builder("database.replica.usable", replica, r -> r.usable() ? 1 : 0)
                    .tag("replica", replica.name())
                    .description("1 while the replica serves reads, 0 while it is bypassed")
                    .register(registry);
        }
    }

    @Override
    protected void turn() {
        long lsn = primary.sql("SELECT (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint")
                .query(Long.class)
                .single();
        long now = System.nanoTime();
        samples.addLast(new Sample(now, lsn));
        while (samples.size() > MAX_SAMPLES || now - samples.peekFirst().at() > historyNanos) {
            samples.removeFirst();
        }
        long replayedByAll = Long.MAX_VALUE;
        for (Replica replica : replicas) {
            probe(replica, lsn);
            replayedByAll = Math.min(replayedByAll, replica.usable() ? replica.replayed() : -1);
        }
        pins.prune(replayedByAll);
    }

    private void probe(Replica replica, long primaryLsn) {
        Long replayed;
        try {
            replayed = JdbcClient.create(replica.pool())
                    // Null on a server not in recovery: a primary, or a replica promoted since (whose replay
                    // position would stand still while the primary moved on).
                    .sql("SELECT CASE WHEN pg_is_in_recovery()"
                            + " THEN (pg_last_wal_replay_lsn() - '0/0'::pg_lsn)::bigint END")
                    .query(Long.class)
                    .list()
                    .getFirst();
        } catch (RuntimeException e) {
            replica.unreachable(e);
            return;
        }
        if (replayed == null) {
            replica.notStandby();
            return;
        }
        long now = System.nanoTime();
        double lag = 0;
        // The oldest sample the replica has not replayed: it has lacked WAL since at least then.
        Iterator<Sample> oldestFirst = samples.iterator();
        while (oldestFirst.hasNext()) {
            Sample sample = oldestFirst.next();
            if (sample.lsn() > replayed) {
                lag = (now - sample.at()) / 1e9;
                break;
            }
        }
        replica.measured(replayed, lag, Math.max(0, primaryLsn - replayed), maxLagSeconds);
    }

    /** Ends the probe's own thread, once the context is closing (after {@link #stop}). */
    void close() {
        scheduler.shutdown();
    }
}

package dev.parley.config;

import dev.parley.common.LogThrottle;
import dev.parley.common.Outages;
import dev.parley.common.ReadSource;
import dev.parley.common.SqlStates;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * {@link ReadSource} with replicas: a read goes to a usable replica (round robin) that has replayed past the
 * caller's last write, else to the primary. Counted as {@code database_replica_reads_total{source}}:
 * {@code replica}, {@code primary} (no replica fit) and {@code fallback} (a replica failed the read, which was run
 * again on the primary).
 */
final class ReplicaReads implements ReadSource {

    private static final Logger log = LoggerFactory.getLogger(ReplicaReads.class);

    private final List<Replica> replicas;
    private final ReplicaPins pins;
    private final long freshNanos;
    private final AtomicInteger next = new AtomicInteger();
    private final Counter onReplica;
    private final Counter onPrimary;
    private final Counter fallbacks;
    private final LogThrottle failures = new LogThrottle(Duration.ofMinutes(1));

    ReplicaReads(List<Replica> replicas, ReplicaPins pins, Duration freshness, MeterRegistry registry) {
        this.replicas = List.copyOf(replicas);
        this.freshNanos = freshness.toNanos();
        this.pins = pins;
        this.onReplica = reads(registry, "replica");
        this.onPrimary = reads(registry, "primary");
        this.fallbacks = reads(registry, "fallback");
    }

    private static Counter reads(MeterRegistry registry, String source) {
        return Counter.builder("database.replica.reads")
                .tag("source", source)
                .description("Reads that could go to a replica, by where they went")
                .register(registry);
    }

    @Override
    public <T> T read(UUID user, Supplier<T> work) {
        if (ReplicaRouting.current() != null || TransactionSynchronizationManager.isActualTransactionActive()) {
            // Already placed by an enclosing read, or part of a transaction: its connection is the primary's.
            return work.get();
        }
        Replica replica = choose(user);
        if (replica == null) {
            onPrimary.increment();
            return ReplicaRouting.on(ReplicaRouting.PRIMARY, work);
        }
        T result;
        try {
            result = ReplicaRouting.on(replica.name(), work);
        } catch (DataAccessException | TransactionException e) {
            if (e instanceof CannotGetJdbcConnectionException
                    || e instanceof CannotCreateTransactionException
                    || lost(e)) {
                replica.unreachable(e);
            } else if (failures.due()) {
                log.warn(
                        "replica_read_failed replica={} cause=\"{}\"; read again on the primary",
                        replica.name(),
                        Outages.rootCause(e));
            }
            fallbacks.increment();
            return ReplicaRouting.on(ReplicaRouting.PRIMARY, work);
        }
        onReplica.increment();
        return result;
    }

    /** A connection lost or refused, or the server shutting down. */
    private static boolean lost(Throwable e) {
        String state = SqlStates.of(e);
        return state != null && (state.startsWith("08") || state.startsWith("57P"));
    }

    private Replica choose(UUID user) {
        long now = System.nanoTime();
        int usable = 0;
        for (Replica replica : replicas) {
            usable += replica.usable(now, freshNanos) ? 1 : 0;
        }
        if (usable == 0) {
            return null;
        }
        long needed = pins.required(user);
        if (needed == ReplicaPins.PRIMARY_ONLY) {
            return null;
        }
        int start = Math.floorMod(next.getAndIncrement(), replicas.size());
        for (int i = 0; i < replicas.size(); i++) {
            Replica replica = replicas.get((start + i) % replicas.size());
            if (replica.usable(now, freshNanos) && replica.replayed() >= needed) {
                return replica;
            }
        }
        return null;
    }

    @Override
    public WriteMark writing(UUID user) {
        pins.begin(user);
        return () -> pins.end(user);
    }
}

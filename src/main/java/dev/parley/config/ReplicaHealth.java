package dev.parley.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * One replica in {@code /health} ({@code replicas}, a component per replica named {@code replica-<n>} in the order
 * of {@code parley.datasource.replica.url}): what the probe last found, never the URL, its host or an error text
 * (which may name the host). {@code UP} while it serves reads; {@link #LAGGING} when reachable but over the lag
 * limit, and {@link DependencyHealth#DEGRADED} when unreachable, not a standby, or not measured lately: in those
 * cases reads go to the primary, so the node still serves and the answer stays 200. The details (shown on
 * {@code /health/replication}) say {@code state}, where reads go now, and the lag when the probe reached it. It reads
 * the probe's last result and queries nothing itself.
 */
final class ReplicaHealth implements HealthIndicator {

    /** Reachable, but further behind than the lag limit: bypassed until it catches up (HTTP 200). */
    static final Status LAGGING = new Status("LAGGING", "The replica is over the lag limit; reads go to the primary");

    private final Replica replica;
    private final long freshNanos;

    private ReplicaHealth(Replica replica, long freshNanos) {
        this.replica = replica;
        this.freshNanos = freshNanos;
    }

    /** The {@code replicas} contributor: one component per replica, in the order they are configured. */
    static CompositeHealthContributor of(List<Replica> replicas, Duration freshness) {
        Map<String, HealthContributor> byName = new LinkedHashMap<>();
        for (int i = 0; i < replicas.size(); i++) {
            byName.put("replica-" + (i + 1), new ReplicaHealth(replicas.get(i), freshness.toNanos()));
        }
        return CompositeHealthContributor.fromMap(byName);
    }

    @Override
    public Health health() {
        Replica.State state = replica.state();
        boolean serving = replica.usable(System.nanoTime(), freshNanos);
        // In use by the last probe, but that probe is older than reads accept: as unknown as a lost replica.
        String shown = state == Replica.State.UP && !serving
                ? "unmeasured"
                : state.name().toLowerCase(Locale.ROOT);
        Status status = switch (state) {
            case UP -> serving ? Status.UP : DependencyHealth.DEGRADED;
            case LAGGING -> LAGGING;
            case STARTING -> Status.UNKNOWN;
            case DOWN, NOT_STANDBY -> DependencyHealth.DEGRADED;
        };
        Health.Builder health =
                Health.status(status).withDetail("state", shown).withDetail("reads", serving ? "replica" : "primary");
        double lag = replica.lagSeconds();
        if (!Double.isNaN(lag)) {
            health.withDetail("lag_seconds", Math.round(lag * 1000) / 1000.0)
                    .withDetail("lag_bytes", (long) replica.lagBytes());
        }
        return health.build();
    }
}

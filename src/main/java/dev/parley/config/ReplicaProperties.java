package dev.parley.config;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code parley.datasource.replica.*} ({@code PARLEY_DATASOURCE_REPLICA_URL}, ...): PostgreSQL streaming replicas
 * that history, search, the conversation list and sync may read from. {@code url}: one JDBC URL or a
 * comma-separated list (none: every read on the primary, nothing else changes); {@code username} and
 * {@code password}: the primary's when absent; {@code max-lag}: a replica further behind the primary than this is
 * bypassed until it catches up; {@code probe-interval}: how often each replica's replay position (and so its lag)
 * is measured; {@code pool-size}: connections per replica (the primary's pool size when absent);
 * {@code connection-timeout}: how long a read waits for a replica connection before it goes to the primary.
 */
@ConfigurationProperties("parley.datasource.replica")
public record ReplicaProperties(
        List<String> url,
        String username,
        String password,
        @DefaultValue("5s") Duration maxLag,
        @DefaultValue("1s") Duration probeInterval,
        Integer poolSize,
        @DefaultValue("1s") Duration connectionTimeout) {

    public ReplicaProperties {
        url = url == null
                ? List.of()
                : url.stream().map(String::strip).filter(u -> !u.isEmpty()).toList();
        if (maxLag.isNegative() || maxLag.isZero()) {
            throw new IllegalArgumentException("parley.datasource.replica.max-lag must be positive");
        }
        if (probeInterval.toMillis() < 100) {
            throw new IllegalArgumentException("parley.datasource.replica.probe-interval must be at least 100ms");
        }
        if (connectionTimeout.toMillis() < 250) {
            throw new IllegalArgumentException("parley.datasource.replica.connection-timeout must be at least 250ms");
        }
        if (poolSize != null && (poolSize < 1 || poolSize > 1000)) {
            throw new IllegalArgumentException("parley.datasource.replica.pool-size must be 1-1000");
        }
    }

    /**
     * How old a replica's last measurement may be for it to serve reads: two probe intervals and a second (a probe
     * waits up to {@code connection-timeout} for each replica).
     */
    Duration freshness() {
        return probeInterval.multipliedBy(2).plus(connectionTimeout).plusSeconds(1);
    }

    /**
     * How long a user's write keeps their reads off a replica at most: a replica in use after this has replayed it,
     * since its lag, measured at most {@link #freshness} ago, is within {@code max-lag}.
     */
    Duration pinRetention() {
        return maxLag.plus(freshness()).plus(probeInterval).plusSeconds(1);
    }
}

package dev.parley.config;

import dev.parley.storage.ObjectStorage;
import dev.parley.storage.StorageUnavailableException;
import java.sql.Connection;
import javax.sql.DataSource;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The database and object store checks behind {@code /health} and {@code /health/ready} (groups in
 * application.yml); Redis's is in RedisConfig, all made by {@link DependencyChecks}. The object store's is here
 * rather than in the storage feature, which (like every feature) does not depend on the wiring.
 *
 * <p>Readiness means "this node can serve": the database decides it (DOWN, 503), because without PostgreSQL no
 * request but the health probes can be answered. Redis and the object store are checked too, and reported, but a
 * failure there is {@link DependencyHealth#DEGRADED} (HTTP 200): every node shares the same Redis and the same
 * bucket, so failing readiness on them would take every node out of the load balancer at once, for an outage that
 * only costs some features (cross-node pushes, presence, shared limits; image uploads), whose requests answer 503
 * with Retry-After by themselves.
 */
@Configuration(proxyBeanMethods = false)
class HealthConfig {

    /**
     * Replaces Boot's {@code db} check, which waits for a pooled connection as long as the pool lets it and then
     * as long as the query takes: this one is bounded like the others.
     */
    @Bean
    HealthIndicator dbHealthIndicator(DependencyChecks checks, DataSource dataSource) {
        int seconds = (int) Math.max(1, checks.timeout().toSeconds());
        return checks.required("database", () -> {
            try (Connection connection = dataSource.getConnection()) {
                return connection.isValid(seconds)
                        ? Health.up().build()
                        : Health.down()
                                .withDetail("error", "the connection did not answer")
                                .build();
            }
        });
    }

    /** Degradable: without the store only attachments fail (503). */
    @Bean("storage")
    HealthIndicator storageHealth(DependencyChecks checks, ObjectStorage storage) {
        return checks.degradable("storage", () -> {
            try {
                storage.check();
                return Health.up().build();
            } catch (StorageUnavailableException e) {
                return Health.down().withDetail("error", e.detail()).build();
            }
        });
    }
}

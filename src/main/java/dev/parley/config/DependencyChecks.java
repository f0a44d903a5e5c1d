package dev.parley.config;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Makes the health check of every dependency ({@link DependencyHealth}), so that they share one deadline and one
 * periodic refresh. Which dependency is required and which only degrades the node: see HealthConfig.
 */
@Component
@EnableConfigurationProperties(DependencyChecks.HealthCheckProperties.class)
public class DependencyChecks implements SchedulingConfigurer {

    /**
     * {@code parley.health.*}: how long a probe waits for a dependency's check ({@code timeout}), and how often
     * every check runs without a probe, to keep {@code dependency_up} and the log current ({@code interval}).
     */
    @ConfigurationProperties("parley.health")
    public record HealthCheckProperties(
            @DefaultValue("1s") Duration timeout,
            @DefaultValue("10s") Duration interval) {}

    private final HealthCheckProperties properties;
    private final Clock clock;
    private final MeterRegistry registry;
    private final List<DependencyHealth> checks = new CopyOnWriteArrayList<>();

    DependencyChecks(HealthCheckProperties properties, Clock clock, MeterRegistry registry) {
        this.properties = properties;
        this.clock = clock;
        this.registry = registry;
    }

    /** A dependency the node cannot serve without: DOWN when its check fails. */
    public HealthIndicator required(String name, Callable<Health> check) {
        return add(new DependencyHealth(name, check, Status.DOWN, properties.timeout(), clock, registry));
    }

    /** A dependency only some features need: {@link DependencyHealth#DEGRADED} when its check fails. */
    public HealthIndicator degradable(String name, Callable<Health> check) {
        return add(new DependencyHealth(name, check, DependencyHealth.DEGRADED, properties.timeout(), clock, registry));
    }

    Duration timeout() {
        return properties.timeout();
    }

    private HealthIndicator add(DependencyHealth check) {
        checks.add(check);
        return check;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(new FixedDelayTask(
                () -> checks.forEach(DependencyHealth::refresh), properties.interval(), properties.interval()));
    }
}

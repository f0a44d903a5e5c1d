package dev.parley.config;

import dev.parley.common.ChatMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The metrics of the README's Operations section. HTTP timing is Spring's own {@code http.server.requests}
 * observation, renamed in application.yml ({@code management.observations.http.server.requests.name}) so that it
 * is exported as {@code api_request_duration_seconds}; histogram buckets are set there too
 * ({@code management.metrics.distribution.slo}). The chat metrics live in {@link ChatMetrics}.
 */
@Configuration(proxyBeanMethods = false)
class MetricsConfig {

    /** Static: a BeanPostProcessor has to exist before the DataSource beans it wraps. */
    @Bean
    static QueryMetrics queryMetrics(ObjectProvider<MeterRegistry> registry) {
        return new QueryMetrics(registry);
    }
}

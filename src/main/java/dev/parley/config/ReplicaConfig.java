package dev.parley.config;

import dev.parley.common.AuthUser;
import dev.parley.common.ReadSource;
import dev.parley.common.redis.RedisConnections;
import dev.parley.common.redis.RedisKeys;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Read replicas ({@code parley.datasource.replica.url}, see {@link ReplicaProperties}): the routing DataSource,
 * the probe, {@link ReplicaReads} as the {@link ReadSource}, and the write marks of REST requests (every POST,
 * PUT, PATCH and DELETE by a signed-in caller; WebSocket frames mark their own). Without the setting only
 * {@link ReadSource#PRIMARY} exists: no pool, probe, query or Redis key more than before.
 */
@Configuration(proxyBeanMethods = false)
class ReplicaConfig {

    @Configuration(proxyBeanMethods = false)
    @Conditional(NoReplicas.class)
    static class Off {

        @Bean
        ReadSource readSource() {
            return ReadSource.PRIMARY;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @Conditional(Replicas.class)
    static class On {

        /** Static: a BeanPostProcessor has to exist before the DataSource it wraps. */
        @Bean
        static ReplicaDataSources replicaDataSources(Environment env) {
            return new ReplicaDataSources(Binder.get(env)
                    .bind("parley.datasource.replica", ReplicaProperties.class)
                    .orElseThrow(() -> new IllegalStateException("parley.datasource.replica.url is not set")));
        }

        @Bean
        ReplicaPins replicaPins(
                ReplicaDataSources sources,
                ReplicaProperties properties,
                ObjectProvider<RedisConnections> redis,
                ObjectProvider<RedisKeys> keys) {
            return new ReplicaPins(
                    sources.primary(), properties.pinRetention(), redis.getIfAvailable(), keys.getIfAvailable());
        }

        @Bean
        ReadSource readSource(
                ReplicaDataSources sources, ReplicaPins pins, ReplicaProperties properties, MeterRegistry registry) {
            return new ReplicaReads(sources.replicas(), pins, properties.freshness(), registry);
        }

        /**
         * On a thread of its own, not the scheduler every periodic task shares: a probe waiting on an unreachable
         * replica must not hold up the search indexer or the revocation feed.
         */
        @Bean(destroyMethod = "close")
        ReplicaProbe replicaProbe(
                ReplicaProperties properties, ReplicaDataSources sources, ReplicaPins pins, MeterRegistry registry) {
            ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
            scheduler.setPoolSize(1);
            scheduler.setThreadNamePrefix("replica-probe-");
            scheduler.setDaemon(true);
            scheduler.initialize();
            return new ReplicaProbe(scheduler, properties, sources.replicas(), sources.primary(), pins, registry);
        }

        /** {@code replicas} in {@code /health} (not in readiness: reads fall back to the primary). */
        @Bean("replicas")
        CompositeHealthContributor replicasHealth(ReplicaDataSources sources, ReplicaProperties properties) {
            return ReplicaHealth.of(sources.replicas(), properties.freshness());
        }

        @Bean
        WriteMarks replicaWriteMarks(ReadSource reads) {
            return new WriteMarks(reads);
        }
    }

    /** Marks each REST write by a signed-in caller, from before the handler runs until the response is done. */
    static final class WriteMarks implements HandlerInterceptor, WebMvcConfigurer {

        private static final String MARK = WriteMarks.class.getName();

        private final ReadSource reads;

        WriteMarks(ReadSource reads) {
            this.reads = reads;
        }

        @Override
        public void addInterceptors(InterceptorRegistry registry) {
            registry.addInterceptor(this);
        }

        @Override
        public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
            String method = request.getMethod();
            boolean write = !("GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method));
            if (write
                    && request.getAttribute(AuthUser.ATTRIBUTE) instanceof AuthUser user
                    && request.getAttribute(MARK) == null) {
                request.setAttribute(MARK, reads.writing(user.id()));
            }
            return true;
        }

        @Override
        public void afterCompletion(
                HttpServletRequest request, HttpServletResponse response, Object handler, Exception ex) {
            if (request.getAttribute(MARK) instanceof ReadSource.WriteMark mark) {
                request.removeAttribute(MARK);
                mark.close();
            }
        }
    }

    static final class Replicas implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            // Bound as the properties are: a comma-separated value, or a YAML list.
            return Binder.get(context.getEnvironment())
                    .bind("parley.datasource.replica.url", Bindable.listOf(String.class))
                    .map(urls -> urls.stream().anyMatch(url -> !url.isBlank()))
                    .orElse(false);
        }
    }

    static final class NoReplicas implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !new Replicas().matches(context, metadata);
        }
    }
}

package dev.parley.config;

import com.zaxxer.hikari.HikariDataSource;
import dev.parley.common.DataProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * With no {@code spring.datasource.url}, Parley starts its own PostgreSQL under {@code parley.data-dir}, so the
 * first run needs nothing installed. With one, Spring Boot's usual DataSource is used and this backs off. A build
 * without the PostgreSQL binaries (the container image's, {@code -Pserver}) refuses to start without a URL,
 * saying so ({@link DatabaseNotConfiguredException}).
 */
@Configuration(proxyBeanMethods = false)
@Conditional(DatabaseConfig.NoDatasourceUrl.class)
class DatabaseConfig {

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(
            DataProperties data, EmbeddedPostgresProperties properties, ResourceLoader resources) {
        if (!EmbeddedPostgres.binariesAvailable(resources.getClassLoader())) {
            throw new DatabaseNotConfiguredException();
        }
        return EmbeddedPostgres.obtain(
                data.dataDir(), properties.binariesDir(), properties.port(), properties.startTimeout());
    }

    /**
     * Every {@code spring.datasource.hikari.*} setting applies here as it would to Boot's own pool (bound after
     * this method returns, before the pool starts): pool size, connection-init SQL, the connection timeout.
     */
    @Bean(destroyMethod = "close")
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(EmbeddedPostgres postgres) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(postgres.jdbcUrl("postgres"));
        dataSource.setUsername(EmbeddedPostgres.USER);
        dataSource.setPassword(postgres.password());
        dataSource.setPoolName("parley-embedded");
        return dataSource;
    }

    static final class NoDatasourceUrl implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            String url = context.getEnvironment().getProperty("spring.datasource.url");
            return url == null || url.isBlank();
        }
    }
}

package dev.parley.config;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.parley.common.DataProperties;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * With no {@code spring.datasource.url}, Parley starts its own PostgreSQL under {@code parley.data-dir}, so the
 * first run needs nothing installed. With one, Spring Boot's usual DataSource is used and this backs off.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(DatabaseConfig.NoDatasourceUrl.class)
class DatabaseConfig {

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(DataProperties data, EmbeddedPostgresProperties properties) {
        return EmbeddedPostgres.obtain(data.dataDir(), properties.binariesDir(), properties.port(),
                properties.startTimeout());
    }

    @Bean(destroyMethod = "close")
    DataSource dataSource(EmbeddedPostgres postgres, Environment env) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(postgres.jdbcUrl("postgres"));
        config.setUsername(EmbeddedPostgres.USER);
        config.setPassword(postgres.password());
        config.setPoolName("parley-embedded");
        config.setMaximumPoolSize(env.getProperty("spring.datasource.hikari.maximum-pool-size", Integer.class, 20));
        config.setConnectionInitSql(env.getProperty("spring.datasource.hikari.connection-init-sql"));
        return new HikariDataSource(config);
    }

    static final class NoDatasourceUrl implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            String url = context.getEnvironment().getProperty("spring.datasource.url");
            return url == null || url.isBlank();
        }
    }
}

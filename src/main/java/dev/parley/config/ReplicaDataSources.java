package dev.parley.config;

import com.zaxxer.hikari.HikariDataSource;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.Ordered;

/**
 * Puts the replicas behind the application's DataSource: the {@code dataSource} bean (Spring Boot's from
 * {@code spring.datasource.*}, or the embedded server's) becomes a {@link ReplicaRouting} over it and one pool per
 * replica URL. Ordered, so that it wraps the pool itself and {@link QueryMetrics} times statements on either.
 * Replica pools take the primary's credentials and pool size unless told otherwise, are read-only, wait
 * {@code connection-timeout} at most for a connection, and do not fail start-up when a replica is down.
 */
final class ReplicaDataSources implements BeanPostProcessor, Ordered, DisposableBean {

    private static final int SOCKET_TIMEOUT_SECONDS = 10;

    private final ReplicaProperties properties;
    private final List<Replica> replicas = new ArrayList<>();
    private volatile DataSource primary;

    ReplicaDataSources(ReplicaProperties properties) {
        this.properties = properties;
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE - 10;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (!"dataSource".equals(beanName) || !(bean instanceof DataSource source) || primary != null) {
            return bean;
        }
        primary = source;
        HikariDataSource template = source instanceof HikariDataSource hikari ? hikari : null;
        for (int i = 0; i < properties.url().size(); i++) {
            String url = properties.url().get(i);
            String name = Replica.label(url, i);
            replicas.add(new Replica(name, pool(url, name, template)));
        }
        return new ReplicaRouting(source, List.copyOf(replicas));
    }

    private HikariDataSource pool(String url, String name, HikariDataSource primary) {
        HikariDataSource pool = new HikariDataSource();
        pool.setPoolName("parley-replica-" + name);
        pool.setJdbcUrl(url);
        String username = properties.username();
        String password = properties.password();
        if (username == null && primary != null) {
            username = primary.getUsername();
            password = password == null ? primary.getPassword() : password;
        }
        pool.setUsername(username);
        pool.setPassword(password);
        int size = properties.poolSize() != null
                ? properties.poolSize()
                : primary != null ? primary.getMaximumPoolSize() : 10;
        pool.setMaximumPoolSize(size);
        pool.setMinimumIdle(primary != null ? Math.min(primary.getMinimumIdle(), size) : Math.min(2, size));
        pool.setReadOnly(true);
        pool.setConnectionTimeout(properties.connectionTimeout().toMillis());
        pool.setValidationTimeout(Math.min(1000, properties.connectionTimeout().toMillis() - 1));
        // A replica down at start-up is bypassed like one lost later, rather than stopping the node.
        pool.setInitializationFailTimeout(-1);
        // A replica that stops answering mid-read (a network partition) fails the read after this, which then runs
        // on the primary, rather than holding it; every read sent to a replica is short. A socketTimeout in the
        // URL wins.
        pool.addDataSourceProperty("socketTimeout", SOCKET_TIMEOUT_SECONDS);
        pool.addDataSourceProperty(
                "connectTimeout", Math.max(1, properties.connectionTimeout().toSeconds()));
        return pool;
    }

    /** The replicas, in the order of the setting; empty until the DataSource was made. */
    List<Replica> replicas() {
        return List.copyOf(replicas);
    }

    /** The primary's own DataSource (not the routing one), for the probe's and the write marks' queries. */
    DataSource primary() {
        return primary;
    }

    @Override
    public void destroy() {
        replicas.forEach(replica -> replica.pool().close());
    }
}

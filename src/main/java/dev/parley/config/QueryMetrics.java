package dev.parley.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import net.ttddyy.dsproxy.ExecutionInfo;
import net.ttddyy.dsproxy.QueryInfo;
import net.ttddyy.dsproxy.listener.QueryExecutionListener;
import net.ttddyy.dsproxy.listener.QueryUtils;
import net.ttddyy.dsproxy.support.ProxyDataSource;
import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Times every JDBC statement as {@code database_query_duration_seconds}, whichever DataSource is in use (the
 * embedded one from {@link DatabaseConfig} or Spring Boot's from {@code spring.datasource.*}): each DataSource
 * bean is wrapped in a datasource-proxy. The registry is looked up on the first statement rather than injected,
 * because a BeanPostProcessor that depends on the MeterRegistry would force it (and its binders) to be created
 * before the beans it should process.
 */
public final class QueryMetrics implements BeanPostProcessor {

    /** Micrometer name; Prometheus shows it as {@code database_query_duration_seconds}. */
    public static final String METER = "database.query.duration";

    private final ObjectProvider<MeterRegistry> registries;

    QueryMetrics(ObjectProvider<MeterRegistry> registries) {
        this.registries = registries;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof DataSource dataSource && !(bean instanceof ProxyDataSource)) {
            return ProxyDataSourceBuilder.create(beanName, dataSource)
                    .listener(new Listener(registries))
                    .build();
        }
        return bean;
    }

    private static final class Listener implements QueryExecutionListener {

        private static final String STARTED = Listener.class.getName() + ".started";

        private static final int MAX_STATEMENTS = 2_000;

        private final ObjectProvider<MeterRegistry> registries;
        private volatile MeterRegistry registry;
        private final Map<String, String> operations = new ConcurrentHashMap<>();
        /** By operation, per outcome: looking a timer up through its builder allocated on every statement. */
        private final Map<String, Timer> succeeded = new ConcurrentHashMap<>();

        private final Map<String, Timer> failed = new ConcurrentHashMap<>();

        Listener(ObjectProvider<MeterRegistry> registries) {
            this.registries = registries;
        }

        @Override
        public void beforeQuery(ExecutionInfo execution, List<QueryInfo> queries) {
            // datasource-proxy measures in whole milliseconds; most statements take less than one.
            execution.addCustomValue(STARTED, System.nanoTime());
        }

        @Override
        public void afterQuery(ExecutionInfo execution, List<QueryInfo> queries) {
            Long started = execution.getCustomValue(STARTED, Long.class);
            MeterRegistry target = registry();
            if (started == null || target == null) {
                return;
            }
            String operation =
                    queries.isEmpty() ? "other" : operation(queries.getFirst().getQuery());
            String outcome = execution.isSuccess() ? "success" : "error";
            (execution.isSuccess() ? succeeded : failed)
                    .computeIfAbsent(
                            operation,
                            key -> Timer.builder(METER)
                                    .description("Time to execute one JDBC statement (a batch counts once)")
                                    .tag("operation", operation)
                                    .tag("outcome", outcome)
                                    .register(target))
                    .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }

        private MeterRegistry registry() {
            MeterRegistry current = registry;
            if (current == null) {
                current = registries.getIfAvailable();
                registry = current;
            }
            return current;
        }

        /**
         * datasource-proxy's classification, remembered per SQL text: it runs three regular expressions over the
         * whole statement (copying it each time), which was ~5% of the server's allocation under a WebSocket load.
         * The application's statements are a small fixed set, but bounded all the same.
         */
        private String operation(String sql) {
            String known = operations.get(sql);
            if (known != null) {
                return known;
            }
            if (operations.size() >= MAX_STATEMENTS) {
                operations.clear();
            }
            String operation = QueryUtils.getQueryType(sql).name().toLowerCase(Locale.ROOT);
            operations.put(sql, operation);
            return operation;
        }
    }
}

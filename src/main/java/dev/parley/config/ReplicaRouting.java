package dev.parley.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.lookup.AbstractRoutingDataSource;

/**
 * The application's DataSource when replicas are configured: the primary, except while {@link ReplicaReads} runs
 * a read on a replica ({@link #on}). Flyway, transactions, jobs and every write see the primary as before.
 */
final class ReplicaRouting extends AbstractRoutingDataSource {

    /** The routing key of the primary, also set while a read chose it (so a nested read does not choose again). */
    static final String PRIMARY = "primary";

    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    ReplicaRouting(DataSource primary, List<Replica> replicas) {
        Map<Object, Object> targets = new HashMap<>();
        targets.put(PRIMARY, primary);
        for (Replica replica : replicas) {
            targets.put(replica.name(), replica.pool());
        }
        setTargetDataSources(targets);
        setDefaultTargetDataSource(primary);
        setLenientFallback(false);
        afterPropertiesSet();
    }

    @Override
    protected Object determineCurrentLookupKey() {
        String key = CURRENT.get();
        return key == null ? PRIMARY : key;
    }

    /** The source a read in progress on this thread chose, or null outside one. */
    static String current() {
        return CURRENT.get();
    }

    /** Runs {@code work} with connections from {@code key}'s pool (a replica's name, or {@link #PRIMARY}). */
    static <T> T on(String key, Supplier<T> work) {
        CURRENT.set(key);
        try {
            return work.get();
        } finally {
            CURRENT.remove();
        }
    }
}

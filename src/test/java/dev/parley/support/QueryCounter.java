package dev.parley.support;

import dev.parley.config.QueryMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Arrays;

/**
 * Counts the JDBC statements the server has executed, from the {@code database_query_duration_seconds} timers,
 * so a test can assert that an endpoint's query count does not grow with the data (no N+1):
 *
 * <pre>{@code
 * @Autowired MeterRegistry registry;
 * ...
 * QueryCounter queries = new QueryCounter(registry);
 * long one = queries.during(() -> api.get("/api/v1/conversations", alice.token()).expect(200));
 * }</pre>
 *
 * The count covers every thread of the server, so work running in the background at the same time is counted
 * too; compare counts of requests made under the same conditions. A batch counts as one statement.
 */
public final class QueryCounter {

    private final MeterRegistry registry;

    public QueryCounter(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Statements executed since the server started. */
    public long executed() {
        return registry.find(QueryMetrics.METER).timers().stream()
                .mapToLong(Timer::count)
                .sum();
    }

    /**
     * The fewest statements each of {@code actions} executed over {@code times} rounds, each round running them in
     * turn. The counter sees every server thread, so background work (catch-up re-reads, presence) can add a
     * statement to one measurement; an N+1 shows in every round.
     */
    public long[] least(int times, Runnable... actions) {
        long[] least = new long[actions.length];
        Arrays.fill(least, Long.MAX_VALUE);
        for (int round = 0; round < times; round++) {
            for (int i = 0; i < actions.length; i++) {
                least[i] = Math.min(least[i], during(actions[i]));
            }
        }
        return least;
    }

    /** Statements executed while {@code action} ran (statements are recorded before the response is sent). */
    public long during(Runnable action) {
        long before = executed();
        action.run();
        return executed() - before;
    }
}

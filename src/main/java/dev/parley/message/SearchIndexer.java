package dev.parley.message;

import dev.parley.common.LogThrottle;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps the search index up with new, edited and deleted messages, off the send path: every
 * {@code parley.search.index-interval} each node offers to read the catch-up log from the index's cursor, and
 * the node that gets the indexer's advisory lock does (the others skip that turn), a batch per transaction until
 * it has caught up. Search therefore trails sends by about the interval.
 *
 * <p>Why neither the send transaction nor db-scheduler: indexing in the send made every send pay for its lexemes
 * and, now and then, for merging the GIN pending list (the send-latency spikes); a db-scheduler recurring
 * task is only picked up at the scheduler's polling interval (5 s by default), and a lock held for one
 * transaction needs no leader to be elected or handed over when a node dies.
 */
@Component
class SearchIndexer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SearchIndexer.class);
    /** Events per transaction: large enough to merge many GIN entries at once, small enough to commit often. */
    static final int BATCH = 1_000;

    private static final int BACKLOG = 50_000;

    private final SearchRepository index;
    private final TransactionTemplate transactions;
    private final TaskScheduler scheduler;
    private final Duration interval;
    private final LogThrottle failures = new LogThrottle(Duration.ofMinutes(1));
    private final Object running = new Object();
    private volatile ScheduledFuture<?> task;

    SearchIndexer(
            SearchRepository index,
            TransactionTemplate transactions,
            TaskScheduler scheduler,
            SearchProperties properties) {
        this.index = index;
        this.transactions = transactions;
        this.scheduler = scheduler;
        this.interval = properties.indexInterval();
    }

    /**
     * Indexes until caught up, until another node holds the cursor, or until this node stops. Returns how many
     * events were read.
     */
    private long catchUp() {
        synchronized (running) {
            long total = 0;
            int read = BATCH;
            while (read == BATCH && task != null) {
                Integer batch = transactions.execute(status -> index.claimIndexer() ? index.indexNext(BATCH) : 0);
                read = batch == null ? 0 : batch;
                total += read;
            }
            return total;
        }
    }

    private void tick() {
        try {
            long read = catchUp();
            // A backlog (after downtime, or a burst far above the usual rate), not the steady trickle.
            if (read >= BACKLOG) {
                log.info("search_index_caught_up events={}", read);
            }
        } catch (RuntimeException e) {
            // The cursor did not move, so the next turn (here or on another node) retries the same events.
            if (failures.due()) {
                log.warn("Search indexing failed; retrying every {}", interval, e);
            }
        }
    }

    @Override
    public void start() {
        task = scheduler.scheduleWithFixedDelay(this::tick, interval);
    }

    /** Stops before the connection pool closes; waits for a batch in progress to commit. */
    @Override
    public void stop() {
        ScheduledFuture<?> scheduled = task;
        task = null;
        if (scheduled != null) {
            scheduled.cancel(false);
        }
        synchronized (running) {
            // Entered once no batch is in progress; none starts after, since task is null.
            log.debug("search_indexer_stopped");
        }
    }

    @Override
    public boolean isRunning() {
        return task != null;
    }
}

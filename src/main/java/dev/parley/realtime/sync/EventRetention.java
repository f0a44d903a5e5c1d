package dev.parley.realtime.sync;

import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Purges catch-up events older than {@code parley.sync.retention}, in small batches so that no long lock is held.
 * Every node runs it; concurrent runs only delete disjoint rows. A client whose cursor predates the purge is told
 * to resync from history (see {@link SyncService#start}).
 */
@Component
class EventRetention {

    private static final Logger log = LoggerFactory.getLogger(EventRetention.class);
    private static final int BATCH = 10_000;

    private final SyncRepository events;
    private final SyncProperties properties;
    private final Clock clock;

    EventRetention(SyncRepository events, SyncProperties properties, Clock clock) {
        this.events = events;
        this.properties = properties;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT15M")
    void purge() {
        purgeOlderThan(clock.instant().minus(properties.retention()));
    }

    /** Returns how many events were deleted. */
    int purgeOlderThan(Instant before) {
        int total = 0;
        int removed;
        do {
            removed = events.purge(before, BATCH);
            total += removed;
        } while (removed == BATCH);
        if (total > 0) {
            log.info("sync_events_purged count={} older_than={}", total, before);
        }
        return total;
    }
}

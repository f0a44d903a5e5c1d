package dev.parley.message;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Upkeep of message storage. Keeps monthly partitions of {@code messages} created ahead of time: at start-up and
 * then every six hours, each node asks the database function {@code parley_ensure_message_partitions}
 * (idempotent, serialised by an advisory lock) to create the current month and the next
 * {@code parley.partitions.months-ahead}. Rows outside every partition would land in {@code messages_default},
 * so a missed run never loses a message.
 */
@Component
class PartitionMaintenance {

    private static final Logger log = LoggerFactory.getLogger(PartitionMaintenance.class);

    private final JdbcClient jdbc;
    private final int monthsAhead;
    private final Duration idempotencyRetention;
    private final Clock clock;

    PartitionMaintenance(JdbcClient jdbc, PartitionProperties partitions, MessageProperties messages, Clock clock) {
        this.jdbc = jdbc;
        this.monthsAhead = partitions.monthsAhead();
        this.idempotencyRetention = messages.idempotencyRetention();
        this.clock = clock;
    }

    /** Forgets idempotency keys past their retention, in small batches so no long lock is held. */
    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT10M")
    void purgeIdempotencyKeys() {
        Timestamp before = Timestamp.from(clock.instant().minus(idempotencyRetention));
        int total = 0;
        int removed;
        do {
            removed = jdbc.sql("""
                    DELETE FROM message_idempotency WHERE ctid = ANY(ARRAY(
                        SELECT ctid FROM message_idempotency WHERE created_at < :before LIMIT 10000))
                        """).param("before", before).update();
            total += removed;
        } while (removed == 10000);
        if (total > 0) {
            log.info("idempotency_keys_purged count={} older_than={}", total, before.toInstant());
        }
    }

    @EventListener(ApplicationReadyEvent.class)
    void atStartup() {
        ensure();
    }

    @Scheduled(fixedDelayString = "PT6H", initialDelayString = "PT6H")
    void ensure() {
        try {
            int created = jdbc.sql("SELECT parley_ensure_message_partitions(:n)")
                    .param("n", monthsAhead)
                    .query(Integer.class)
                    .single();
            if (created > 0) {
                log.info("message_partitions_created count={} months_ahead={}", created, monthsAhead);
            }
        } catch (RuntimeException e) {
            log.error("Could not create message partitions ahead of time; new rows go to messages_default", e);
        }
    }
}

package dev.parley.audit;

import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The retention purge ({@code parley.audit.retention}), run by one node at a time (a recurring job, AuditConfig).
 * In batches, each its own transaction: move the anchor to the first kept entry, taking over that entry's
 * prev_hash, then delete the entries before it (the table's trigger allows nothing else). Verification then starts
 * at the anchor, so a purged log still verifies. The newest entry is always kept, so the anchor always names an
 * entry. A purge that removed anything is itself recorded ({@code audit_purged}).
 *
 * <p>Each run also logs the chain head ({@code audit_chain_head seq=... hash=...}): shipped to a log store
 * elsewhere, those lines let an operator prove later that the chain was not rewritten wholesale by someone who
 * could also recompute every hash.
 */
@Component
class AuditRetention {

    private static final Logger log = LoggerFactory.getLogger(AuditRetention.class);
    static final int BATCH = 10_000;

    private final AuditRepository repository;
    private final AuditLog audit;
    private final AuditProperties properties;
    private final TransactionTemplate transaction;
    private final Clock clock;

    AuditRetention(
            AuditRepository repository,
            AuditLog audit,
            AuditProperties properties,
            PlatformTransactionManager transactions,
            Clock clock) {
        this.repository = repository;
        this.audit = audit;
        this.properties = properties;
        this.transaction = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    /** Removes the entries older than the retention; returns how many. */
    long purge() {
        AuditRepository.Head head = repository.head();
        log.info(
                "audit_chain_head seq={} hash={}",
                head.lastSeq(),
                HexFormat.of().formatHex(head.lastHash()));
        if (properties.keepsForever()) {
            return 0;
        }
        Instant now = clock.instant();
        Instant cutoff = now.minus(properties.retention());
        long removed = 0;
        long batch;
        do {
            batch = transaction.execute(status -> batch(cutoff, now));
            removed += batch;
        } while (batch > 0);
        if (removed > 0) {
            long firstSeq = repository.anchor().firstSeq();
            audit.record(AuditEntry.of(AuditAction.AUDIT_PURGED)
                    .detail("removed", removed)
                    .detail("first_seq", firstSeq)
                    .detail("older_than", cutoff));
            log.info("audit_purged removed={} first_seq={} older_than={}", removed, firstSeq, cutoff);
        }
        return removed;
    }

    private long batch(Instant cutoff, Instant now) {
        long from = repository.lockAnchor().firstSeq();
        long to = Math.min(from + BATCH, repository.head().lastSeq());
        if (to <= from) {
            return 0;
        }
        OptionalLong young = repository.firstSeqSince(from, to, cutoff);
        long keepFrom = young.orElse(to);
        if (keepFrom <= from) {
            return 0;
        }
        repository.moveAnchor(keepFrom, now);
        return repository.deleteBefore(keepFrom);
    }
}

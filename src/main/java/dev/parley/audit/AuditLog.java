package dev.parley.audit;

import dev.parley.common.Ids;
import dev.parley.common.ParleyException;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The audit log: one entry per security or administrative act, written in the transaction of the act, chained by
 * SHA-256 so that {@link #verify} finds an edited, deleted or reordered entry. See the package documentation for
 * who may call what.
 */
@Service
public class AuditLog {

    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 100;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, Object>> DETAILS = new TypeReference<>() {};

    private final AuditRepository repository;
    private final AuditThrottle throttle;
    private final AuditVerifier verifier;
    private final AuditMetrics metrics;
    private final TransactionTemplate transaction;
    private final Clock clock;

    AuditLog(
            AuditRepository repository,
            AuditThrottle throttle,
            AuditVerifier verifier,
            AuditMetrics metrics,
            PlatformTransactionManager transactions,
            Clock clock) {
        this.repository = repository;
        this.throttle = throttle;
        this.verifier = verifier;
        this.metrics = metrics;
        this.transaction = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    /**
     * Appends the entry in the caller's transaction (in one of its own when there is none): it commits with the
     * act, or neither does. Appends are serialised: the chain head stays locked from here until that transaction
     * ends, so call this as the transaction's last write, keeping other security acts' wait (and the chance of a
     * deadlock) short. Never on the message send path. Throws IllegalArgumentException for details that break
     * {@link AuditEntry}'s rules; database failures as usual (the act fails with them).
     */
    public void record(AuditEntry entry) {
        // Outside the lock: the canonical JSON costs nothing to whoever waits for the head.
        String details = AuditChain.details(entry.details());
        transaction.executeWithoutResult(status -> {
            AuditRepository.Head head = repository.lockHead();
            Instant at = AuditChain.at(clock.instant());
            ChainEntry row = new ChainEntry(
                    head.lastSeq() + 1,
                    Ids.uuidV7(at.toEpochMilli()),
                    at,
                    entry.actorId(),
                    entry.action().wireName(),
                    entry.targetType() == null ? null : entry.targetType().wireName(),
                    entry.targetId(),
                    entry.ip(),
                    details,
                    head.lastHash(),
                    null);
            repository.insert(row.withHash(AuditChain.hash(row)));
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    metrics.written(entry.action());
                }
            });
        });
    }

    /**
     * For acts a stranger can repeat at will (failed logins): records the entry as {@link #record} does while its
     * {@code floodKey} (say, the username and client address) and its action are within the flood limits of this
     * window; beyond them it is only counted, and one summary entry per action and window records the count (see
     * {@link AuditThrottle}). Returns whether the entry was recorded on its own.
     */
    public boolean recordThrottled(AuditEntry entry, String floodKey) {
        if (!throttle.admit(entry.action(), floodKey == null ? "" : floodKey, clock.instant())) {
            metrics.suppressed(entry.action());
            return false;
        }
        record(entry);
        return true;
    }

    /**
     * Entries matching the filter, newest first, {@code limit} (1-100, default 50) per page; {@code cursor} is a
     * previous page's {@code next_cursor}. Throws VALIDATION_FAILED ({@code details.field} {@code cursor} or
     * {@code limit}). For admins only: the caller checks the role.
     */
    public AuditPage query(AuditFilter filter, String cursor, Integer limit) {
        int size = limit == null ? DEFAULT_LIMIT : limit;
        if (size < 1 || size > MAX_LIMIT) {
            throw ParleyException.validation("limit", "limit must be 1-" + MAX_LIMIT);
        }
        Long before = cursor == null || cursor.isEmpty() ? null : parseCursor(cursor);
        List<ChainEntry> rows = repository.page(filter == null ? AuditFilter.all() : filter, before, size + 1);
        boolean more = rows.size() > size;
        List<AuditRecord> entries =
                rows.stream().limit(size).map(AuditLog::view).toList();
        return new AuditPage(entries, more ? Long.toString(entries.getLast().seq()) : null);
    }

    /**
     * Checks the whole chain from the oldest kept entry to the newest, in bounded memory; takes as long as
     * reading the log does. For admins only: the caller checks the role.
     */
    public AuditVerification verify() {
        AuditVerification result = verifier.verify();
        if (!result.ok()) {
            log.error(
                    "audit_chain_broken entries_checked={} first_bad_entry={}",
                    result.entries(),
                    result.firstBadEntry());
        }
        return result;
    }

    /** Writes the summaries of the flood windows that are over; often, as it only looks at memory meanwhile. */
    @Scheduled(fixedDelayString = "PT1S", initialDelayString = "PT1S")
    void flushSummaries() {
        flush(false);
    }

    @PreDestroy
    void flushOnShutdown() {
        flush(true);
    }

    private void flush(boolean all) {
        for (AuditThrottle.Summary s : throttle.drain(clock.instant(), all)) {
            AuditEntry entry = AuditEntry.of(s.action())
                    .detail("summary", true)
                    .detail("suppressed", s.suppressed())
                    .detail("window_start", s.windowStart())
                    .detail("window_seconds", s.window().toSeconds())
                    .detail(
                            "top",
                            s.top().entrySet().stream()
                                    .map(e -> Map.<String, Object>of("key", e.getKey(), "count", e.getValue()))
                                    .toList())
                    .detail("other_keys", s.otherKeys());
            try {
                record(entry);
            } catch (RuntimeException e) {
                // The count is not lost to the operator: it is in the log line.
                log.warn(
                        "audit_summary_not_written action={} suppressed={} window_start={}: {}",
                        s.action().wireName(),
                        s.suppressed(),
                        s.windowStart(),
                        e.toString());
            }
        }
    }

    private static Long parseCursor(String cursor) {
        if (cursor.length() > 18 || !cursor.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw ParleyException.validation("cursor", "cursor must be a next_cursor of this list");
        }
        return Long.parseLong(cursor);
    }

    private static AuditRecord view(ChainEntry row) {
        return new AuditRecord(
                row.entryId(),
                row.seq(),
                row.at(),
                row.actorId(),
                row.action(),
                row.targetType(),
                row.targetId(),
                row.ip(),
                JSON.readValue(row.details(), DETAILS));
    }
}

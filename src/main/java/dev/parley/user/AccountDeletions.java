package dev.parley.user;

import dev.parley.audit.AuditAction;
import dev.parley.audit.AuditEntry;
import dev.parley.audit.AuditLog;
import dev.parley.audit.AuditTargetType;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Account deletion. The request ({@link #request}) takes effect at once, in the caller's transaction: the account is
 * marked deleted (which revokes its access on every node), its profile erased and its username held; the rest of the
 * erasure is recorded in {@code account_deletions} and run in the background by every {@link AccountErasure} step in
 * order, one bounded batch per transaction, until each step reports nothing left. A pending erasure's row is locked
 * while a batch runs ({@code SKIP LOCKED}), so one node works on an account at a time; a node that stops half-way
 * leaves the row pending and whichever node looks next carries on, from the first step, which is safe because
 * every step is idempotent.
 */
@Service
public class AccountDeletions {

    private static final Logger log = LoggerFactory.getLogger(AccountDeletions.class);

    private final UserRepository users;
    private final AccountDeletionRepository deletions;
    private final ObjectProvider<AccountErasure> steps;
    private final TransactionTemplate transactions;
    private final AuditLog audit;
    private final AccountProperties properties;
    private final Clock clock;
    private final AtomicBoolean draining = new AtomicBoolean();
    private volatile boolean stopping;

    AccountDeletions(
            UserRepository users,
            AccountDeletionRepository deletions,
            ObjectProvider<AccountErasure> steps,
            TransactionTemplate transactions,
            AuditLog audit,
            AccountProperties properties,
            Clock clock) {
        this.users = users;
        this.deletions = deletions;
        this.steps = steps;
        this.transactions = transactions;
        this.audit = audit;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Deletes the account, inside the caller's transaction (which also revokes its sessions and writes the audit
     * entry): profile erased, username held for {@code parley.accounts.username-cooldown}, erasure queued. Running
     * it again for an account already deleted changes nothing.
     */
    public void request(UUID userId) {
        Instant now = clock.instant();
        users.eraseProfile(userId, now, now.plus(properties.usernameCooldown()));
        deletions.insert(userId, now);
    }

    /** Each node looks for pending erasures; the work itself runs on a thread of its own, one per node. */
    @Scheduled(fixedDelayString = "${parley.accounts.erasure-interval:1s}", initialDelayString = "PT2S")
    void tick() {
        if (!properties.erasureEnabled() || stopping || !draining.compareAndSet(false, true)) {
            return;
        }
        Thread.ofVirtual().name("account-erasure").start(() -> {
            try {
                drain();
            } finally {
                draining.set(false);
            }
        });
    }

    /** Runs erasure batches until none is pending (or this node stops); a failed batch is retried next tick. */
    void drain() {
        try {
            while (!stopping && runBatch()) {
                // Next batch.
            }
            int released = users.releaseHolds(clock.instant());
            if (released > 0) {
                log.info("usernames_released count={}", released);
            }
        } catch (RuntimeException e) {
            log.warn("account_erasure_failed; retried at the next look", e);
        }
    }

    /**
     * One batch in one transaction: the first step with work left does a batch; when none has any, the erasure is
     * complete. False when no erasure is pending.
     */
    boolean runBatch() {
        Boolean more = transactions.execute(status -> {
            Optional<UUID> pending = deletions.lockPending();
            if (pending.isEmpty()) {
                return false;
            }
            UUID userId = pending.get();
            List<AccountErasure> ordered = steps.orderedStream().toList();
            for (AccountErasure step : ordered) {
                if (!step.eraseSome(userId, properties.erasureBatch())) {
                    deletions.countRun(userId);
                    return true;
                }
            }
            deletions.complete(userId, clock.instant());
            audit.record(AuditEntry.of(AuditAction.ACCOUNT_ERASED)
                    .target(AuditTargetType.USER, userId)
                    .detail("steps", ordered.size()));
            log.info("account_erased user_id={}", userId);
            return true;
        });
        return Boolean.TRUE.equals(more);
    }

    @PreDestroy
    void stop() {
        stopping = true;
    }
}

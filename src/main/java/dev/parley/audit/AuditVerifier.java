package dev.parley.audit;

import java.util.Arrays;
import java.util.List;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Walks the chain from the retention anchor to the head in keyset pages, so a log of any size is checked in
 * bounded memory. One read-only REPEATABLE READ transaction: every page, the anchor and the head come from one
 * snapshot, so appends and purges running meanwhile are neither seen half-way nor reported as damage.
 */
@Component
class AuditVerifier {

    static final int PAGE = 1000;

    private final AuditRepository repository;
    private final TransactionTemplate snapshot;

    AuditVerifier(AuditRepository repository, PlatformTransactionManager transactions) {
        this.repository = repository;
        this.snapshot = new TransactionTemplate(transactions);
        // A transaction of its own even when called inside another: the isolation level must apply.
        snapshot.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        snapshot.setReadOnly(true);
    }

    AuditVerification verify() {
        return snapshot.execute(status -> walk());
    }

    private AuditVerification walk() {
        AuditRepository.Anchor anchor = repository.anchor();
        AuditRepository.Head head = repository.head();
        long expectedSeq = anchor.firstSeq();
        byte[] expectedPrev = anchor.prevHash();
        ChainEntry last = null;
        long checked = 0;
        while (true) {
            List<ChainEntry> page = repository.chainPage(expectedSeq, PAGE);
            for (ChainEntry entry : page) {
                checked++;
                if (entry.seq() != expectedSeq
                        || entry.seq() > head.lastSeq()
                        || !Arrays.equals(entry.prevHash(), expectedPrev)) {
                    return bad(checked, entry, AuditVerification.Problem.BROKEN_LINK);
                }
                if (!Arrays.equals(AuditChain.hash(entry), entry.hash())) {
                    return bad(checked, entry, AuditVerification.Problem.EDITED);
                }
                expectedSeq++;
                expectedPrev = entry.hash();
                last = entry;
            }
            if (page.size() < PAGE) {
                break;
            }
        }
        long lastSeq = expectedSeq - 1;
        if (lastSeq < head.lastSeq()) {
            return AuditVerification.broken(
                    checked, new AuditVerification.BadEntry(expectedSeq, null, AuditVerification.Problem.MISSING));
        }
        if (last != null && !Arrays.equals(last.hash(), head.lastHash())) {
            return bad(checked, last, AuditVerification.Problem.BROKEN_LINK);
        }
        return AuditVerification.whole(checked);
    }

    private static AuditVerification bad(long checked, ChainEntry entry, AuditVerification.Problem problem) {
        return AuditVerification.broken(checked, new AuditVerification.BadEntry(entry.seq(), entry.entryId(), problem));
    }
}

package dev.parley.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.ParleyApplication;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The chain itself, through AuditLog's public methods: appends from many threads and two nodes form one chain;
 * editing, deleting or reordering rows behind the triggers' back (as someone with database access could) makes
 * {@code verify} name the first bad entry; the retention purge keeps the chain verifiable; the triggers refuse
 * changes made the ordinary way.
 */
class AuditChainTest extends AuditTestContext {

    @Autowired
    private AuditRetention retention;

    @Autowired
    private AuditRepository repository;

    @BeforeEach
    void empty() {
        emptyLog();
    }

    @Test
    void concurrentAppendsFromManyThreadsAndTwoNodesFormOneChain() throws Exception {
        ConfigurableApplicationContext other = new SpringApplicationBuilder(ParleyApplication.class)
                .profiles("test")
                .run("--server.port=0", "--parley.data-dir=target/test-data/audit");
        try {
            List<AuditLog> nodes = List.of(audit, other.getBean(AuditLog.class));
            int threads = 8;
            int each = 40;
            List<Callable<Void>> appends = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                AuditLog node = nodes.get(t % nodes.size());
                int thread = t;
                appends.add(() -> {
                    for (int i = 0; i < each; i++) {
                        node.record(AuditEntry.by(UUID.randomUUID(), AuditAction.LOGIN)
                                .ip("192.0.2." + thread)
                                .detail("n", i));
                    }
                    return null;
                });
            }
            try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
                for (Future<Void> done : pool.invokeAll(appends)) {
                    done.get();
                }
            }
            AuditVerification result = audit.verify();
            assertThat(result.ok()).as("%s", result).isTrue();
            assertThat(result.entries()).isEqualTo(threads * each);
            assertThat(jdbc.sql("SELECT seq FROM audit_log ORDER BY seq")
                            .query(Long.class)
                            .list())
                    .containsExactlyElementsOf(
                            LongStream.rangeClosed(1, threads * each).boxed().toList());
        } finally {
            other.close();
        }
    }

    @Test
    void anAppendThatRollsBackLeavesNoGap() {
        record(2);
        assertThatThrownBy(() -> new TransactionTemplate(transactions).executeWithoutResult(status -> {
                    audit.record(AuditEntry.of(AuditAction.LOGOUT));
                    throw new IllegalStateException("the act failed");
                }))
                .isInstanceOf(IllegalStateException.class);
        record(1);
        assertThat(jdbc.sql("SELECT seq FROM audit_log ORDER BY seq")
                        .query(Long.class)
                        .list())
                .containsExactly(1L, 2L, 3L);
        assertThat(audit.verify()).isEqualTo(AuditVerification.whole(3));
    }

    @Test
    void anEditedRowIsNamed() {
        List<AuditRecord> entries = record(5);
        asAttacker("UPDATE audit_log SET details = '{\"n\":99}' WHERE seq = 3");

        AuditVerification result = audit.verify();
        assertThat(result.ok()).isFalse();
        assertThat(result.firstBadEntry())
                .isEqualTo(
                        new AuditVerification.BadEntry(3, entries.get(2).entryId(), AuditVerification.Problem.EDITED));
        assertThat(result.entries()).isEqualTo(3);
    }

    @Test
    void anEditedAddressOrActorIsNamedToo() {
        List<AuditRecord> entries = record(4);
        asAttacker("UPDATE audit_log SET ip = '198.51.100.1' WHERE seq = 2");
        assertThat(audit.verify().firstBadEntry())
                .isEqualTo(
                        new AuditVerification.BadEntry(2, entries.get(1).entryId(), AuditVerification.Problem.EDITED));
    }

    @Test
    void aDeletedRowIsNamedByTheEntryAfterIt() {
        List<AuditRecord> entries = record(5);
        asAttacker("DELETE FROM audit_log WHERE seq = 3");

        AuditVerification result = audit.verify();
        assertThat(result.ok()).isFalse();
        assertThat(result.firstBadEntry())
                .isEqualTo(new AuditVerification.BadEntry(
                        4, entries.get(3).entryId(), AuditVerification.Problem.BROKEN_LINK));
    }

    @Test
    void aSwappedPairIsNamedAtTheFirstOfThem() {
        List<AuditRecord> entries = record(5);
        // The rows of 2 and 3 trade places in the order (their numbers), the way a reordering would.
        asAttacker(
                "UPDATE audit_log SET seq = seq + 1000 WHERE seq IN (2, 3)",
                "UPDATE audit_log SET seq = CASE seq WHEN 1002 THEN 3 ELSE 2 END WHERE seq IN (1002, 1003)");

        AuditVerification result = audit.verify();
        assertThat(result.ok()).isFalse();
        assertThat(result.firstBadEntry().seq()).isEqualTo(2);
        assertThat(result.firstBadEntry().entryId()).isEqualTo(entries.get(2).entryId());
    }

    @Test
    void deletedNewestEntriesAreMissing() {
        record(5);
        asAttacker("DELETE FROM audit_log WHERE seq >= 4");

        assertThat(audit.verify())
                .isEqualTo(AuditVerification.broken(
                        3, new AuditVerification.BadEntry(4, null, AuditVerification.Problem.MISSING)));
    }

    @Test
    void aRowRewrittenWithAFreshHashBreaksTheLinkAfterIt() {
        List<AuditRecord> entries = record(3);
        // Whoever edits entry 2 and recomputes its hash cannot leave entry 3's prev_hash matching it.
        forgeAddress(2);

        assertThat(audit.verify().firstBadEntry())
                .isEqualTo(new AuditVerification.BadEntry(
                        3, entries.get(2).entryId(), AuditVerification.Problem.BROKEN_LINK));
    }

    @Test
    void aRewrittenNewestEntryDoesNotMatchTheHead() {
        List<AuditRecord> entries = record(2);
        forgeAddress(2);

        assertThat(audit.verify().firstBadEntry())
                .isEqualTo(new AuditVerification.BadEntry(
                        2, entries.get(1).entryId(), AuditVerification.Problem.BROKEN_LINK));
    }

    @Test
    void aLogLargerThanAPageVerifiesInPages() {
        new TransactionTemplate(transactions).executeWithoutResult(status -> {
            for (int i = 0; i < AuditVerifier.PAGE * 2 + 17; i++) {
                audit.record(AuditEntry.of(AuditAction.LOGOUT).detail("n", i));
            }
        });
        assertThat(audit.verify()).isEqualTo(AuditVerification.whole(AuditVerifier.PAGE * 2 + 17));

        asAttacker("UPDATE audit_log SET details = '{}' WHERE seq = " + (AuditVerifier.PAGE + 5));
        assertThat(audit.verify().firstBadEntry().seq()).isEqualTo(AuditVerifier.PAGE + 5);
    }

    @Test
    void theRetentionPurgeRemovesOldEntriesAndTheChainStillVerifies() {
        record(5);
        CLOCK.advance(Duration.ofDays(366));
        List<AuditRecord> recent = record(2);

        retention.purge();

        List<Long> kept = jdbc.sql("SELECT seq FROM audit_log ORDER BY seq")
                .query(Long.class)
                .list();
        // The two recent entries, and the purge's own record of itself.
        assertThat(kept).containsExactly(6L, 7L, 8L);
        assertThat(jdbc.sql("SELECT first_seq FROM audit_anchor")
                        .query(Long.class)
                        .single())
                .isEqualTo(6L);
        assertThat(audit.verify()).isEqualTo(AuditVerification.whole(3));
        AuditRecord purged = audit.query(AuditFilter.all().action(AuditAction.AUDIT_PURGED), null, 1)
                .entries()
                .getFirst();
        assertThat(purged.details()).containsEntry("removed", 5).containsEntry("first_seq", 6);
        assertThat(recent.getFirst().seq()).isEqualTo(6);

        // Deleting the new first entry behind the trigger's back is still found.
        asAttacker("DELETE FROM audit_log WHERE seq = 6");
        assertThat(audit.verify().firstBadEntry())
                .isEqualTo(new AuditVerification.BadEntry(
                        7, recent.get(1).entryId(), AuditVerification.Problem.BROKEN_LINK));
    }

    @Test
    void thePurgeKeepsTheNewestEntryEvenWhenItIsOld() {
        record(3);
        CLOCK.advance(Duration.ofDays(400));
        retention.purge();
        // Entry 3 stays (the anchor must name an entry), then the purge's own entry follows it.
        assertThat(jdbc.sql("SELECT seq FROM audit_log ORDER BY seq")
                        .query(Long.class)
                        .list())
                .containsExactly(3L, 4L);
        assertThat(audit.verify().ok()).isTrue();
    }

    @Test
    void theTriggersRefuseEditsDeletesAndForgedAppends() {
        record(3);
        assertRefused("UPDATE audit_log SET details = '{}' WHERE seq = 2");
        assertRefused("DELETE FROM audit_log WHERE seq = 1");
        assertRefused("TRUNCATE audit_log");
        // The head moves only with an append, and never back.
        assertRefused("UPDATE audit_chain_head SET last_seq = 1");
        assertRefused("DELETE FROM audit_chain_head");
        // The anchor moves forward only, onto a kept entry's prev_hash.
        assertRefused("UPDATE audit_anchor SET first_seq = 2");
        assertRefused("UPDATE audit_anchor SET first_seq = 0");
        assertRefused("DELETE FROM audit_anchor");
        // An insert must continue the chain exactly at the head.
        assertRefused("""
                INSERT INTO audit_log (seq, entry_id, at, action, details, prev_hash, hash)
                VALUES (9, gen_random_uuid(), now(), 'login', '{}', sha256(''), sha256(''))""");
        assertRefused("""
                INSERT INTO audit_log (seq, entry_id, at, action, details, prev_hash, hash)
                VALUES (4, gen_random_uuid(), now(), 'login', '{}', sha256(''), sha256(''))""");

        assertThat(audit.verify()).isEqualTo(AuditVerification.whole(3));
    }

    /** Changes the entry's address and stores the hash its new content would have, as a careful forger would. */
    private void forgeAddress(long seq) {
        ChainEntry real = repository.chainPage(seq, 1).getFirst();
        ChainEntry forged = new ChainEntry(
                real.seq(),
                real.entryId(),
                real.at(),
                real.actorId(),
                real.action(),
                real.targetType(),
                real.targetId(),
                "198.51.100.1",
                real.details(),
                real.prevHash(),
                null);
        asAttacker("UPDATE audit_log SET ip = '198.51.100.1', hash = decode('"
                + HexFormat.of().formatHex(AuditChain.hash(forged)) + "', 'hex') WHERE seq = " + seq);
    }

    private void assertRefused(String sql) {
        assertThatThrownBy(() -> jdbc.sql(sql).update()).as(sql).isInstanceOf(DataAccessException.class);
    }

    /** Appends {@code n} entries, each in its own transaction, and returns them oldest first. */
    private List<AuditRecord> record(int n) {
        UUID actor = UUID.randomUUID();
        for (int i = 0; i < n; i++) {
            audit.record(AuditEntry.by(actor, AuditAction.LOGIN)
                    .target(AuditTargetType.SESSION, UUID.randomUUID())
                    .ip("192.0.2.1")
                    .detail("n", i));
        }
        return audit.query(AuditFilter.all().actor(actor), null, n).entries().reversed();
    }
}

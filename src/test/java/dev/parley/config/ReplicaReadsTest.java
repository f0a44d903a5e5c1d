package dev.parley.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.parley.common.ParleyException;
import dev.parley.common.ReadSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Where {@link ReplicaReads} sends a read, without servers: the decisions a timing-dependent integration test
 * cannot force (a replica failing in the middle of a read, before any probe noticed).
 */
class ReplicaReadsTest {

    private final HikariDataSource pool = new HikariDataSource();
    private final Replica replica = new Replica("replica-1", pool);
    /** A primary that cannot be reached: the write marks' WAL query fails, as it would in an outage. */
    private final ReplicaPins pins = new ReplicaPins(
            new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:1/none"), Duration.ofSeconds(10), null, null);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ReplicaReads reads = new ReplicaReads(List.of(replica), pins, Duration.ofSeconds(5), registry);
    private final UUID user = UUID.randomUUID();

    @AfterEach
    void close() {
        pool.close();
    }

    @Test
    void aReplicaThatFailsAReadIsSetAsideAndTheReadRunsOnThePrimary() {
        replica.measured(100, 0, 0, 5);
        List<String> tried = new ArrayList<>();
        String answer = reads.read(user, () -> {
            tried.add(ReplicaRouting.current());
            if (!ReplicaRouting.PRIMARY.equals(ReplicaRouting.current())) {
                throw new CannotGetJdbcConnectionException("refused", new SQLException("refused", "08001"));
            }
            return "from the primary";
        });
        assertThat(answer).isEqualTo("from the primary");
        assertThat(tried).containsExactly("replica-1", ReplicaRouting.PRIMARY);
        assertThat(replica.usable()).isFalse();
        assertThat(registry.counter("database.replica.reads", "source", "fallback")
                        .count())
                .isOne();

        // Until a probe reaches it again, reads go straight to the primary.
        tried.clear();
        reads.read(user, () -> tried.add(ReplicaRouting.current()));
        assertThat(tried).containsExactly(ReplicaRouting.PRIMARY);
        replica.measured(120, 0, 0, 5);
        tried.clear();
        reads.read(user, () -> tried.add(ReplicaRouting.current()));
        assertThat(tried).containsExactly("replica-1");
    }

    @Test
    void aLostConnectionMidReadAlsoSetsItAside() {
        replica.measured(100, 0, 0, 5);
        String answer = reads.read(user, () -> {
            if (!ReplicaRouting.PRIMARY.equals(ReplicaRouting.current())) {
                throw new DataAccessResourceFailureException("io", new SQLException("I/O error", "08006"));
            }
            return "ok";
        });
        assertThat(answer).isEqualTo("ok");
        assertThat(replica.usable()).isFalse();
    }

    @Test
    void aClientMistakeIsNotRetried() {
        replica.measured(100, 0, 0, 5);
        List<String> tried = new ArrayList<>();
        assertThatThrownBy(() -> reads.read(user, () -> {
                    tried.add(ReplicaRouting.current());
                    throw ParleyException.conversationNotFound();
                }))
                .isInstanceOf(ParleyException.class);
        assertThat(tried).containsExactly("replica-1");
        assertThat(replica.usable()).isTrue();
    }

    @Test
    void aReadInsideATransactionStaysWhereTheTransactionIs() {
        replica.measured(100, 0, 0, 5);
        TransactionSynchronizationManager.setActualTransactionActive(true);
        try {
            assertThat(reads.read(user, ReplicaRouting::current)).isNull();
        } finally {
            TransactionSynchronizationManager.setActualTransactionActive(false);
        }
    }

    @Test
    void aWriterReadsThePrimaryWhileWritingAndWhileItsPositionIsUnknown() {
        replica.measured(100, 0, 0, 5);
        UUID other = UUID.randomUUID();
        ReadSource.WriteMark mark = reads.writing(user);
        assertThat(reads.read(user, ReplicaRouting::current)).isEqualTo(ReplicaRouting.PRIMARY);
        assertThat(reads.read(other, ReplicaRouting::current)).isEqualTo("replica-1");
        mark.close();
        // The primary did not say where its WAL stood: only the primary is sure to have the write.
        assertThat(reads.read(user, ReplicaRouting::current)).isEqualTo(ReplicaRouting.PRIMARY);
        assertThat(pins.size()).isOne();
        // Every replica has replayed past it (the most a position can be): forgotten, the user reads the replica.
        pins.prune(Long.MAX_VALUE);
        assertThat(pins.size()).isZero();
        assertThat(reads.read(user, ReplicaRouting::current)).isEqualTo("replica-1");
    }

    @Test
    void aLaggingOrStaleReplicaIsNotUsed() {
        replica.measured(100, 7, 4096, 5);
        assertThat(reads.read(user, ReplicaRouting::current)).isEqualTo(ReplicaRouting.PRIMARY);
        ReplicaReads strict = new ReplicaReads(List.of(replica), pins, Duration.ZERO, registry);
        replica.measured(100, 0, 0, 5);
        assertThat(strict.read(user, ReplicaRouting::current)).isEqualTo(ReplicaRouting.PRIMARY);
    }
}

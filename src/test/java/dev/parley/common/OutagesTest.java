package dev.parley.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.common.UnavailableException.Dependency;
import dev.parley.support.CapturedLog;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.TransactionSystemException;

/** Which failures are outages (503 with Retry-After) and which are ours (500), however they were wrapped. */
class OutagesTest {

    @Test
    void aLostConnectionBehindAFailedRollbackIsADatabaseOutage() {
        TransactionSystemException rollback =
                new TransactionSystemException("JDBC rollback failed", new SQLException("Connection is closed"));
        rollback.initApplicationException(new DataAccessResourceFailureException(
                "insert", new SQLException("An I/O error occurred while sending to the backend.", "08006")));

        UnavailableException outage = Outages.classify(rollback);

        assertThat(outage.dependency()).isEqualTo(Dependency.DATABASE);
        assertThat(outage.code()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE);
        assertThat(outage.retryAfterSeconds()).isEqualTo(5);
        assertThat(outage.details()).containsEntry("retry_after", 5L);
    }

    @Test
    void thePoolTimingOutOnAnUnreachableServerIsAnOutageButOnBusyConnectionsOnlyBusy() {
        var unreachable = new CannotGetJdbcConnectionException(
                "Failed to obtain JDBC Connection",
                new SQLTransientConnectionException(
                        "Connection is not available, request timed out after 2000ms",
                        "08001",
                        new SQLException("Connection to 127.0.0.1:5432 refused", "08001")));
        var exhausted = new CannotGetJdbcConnectionException(
                "Failed to obtain JDBC Connection",
                new SQLTransientConnectionException("Connection is not available, request timed out after 2000ms"));

        assertThat(Outages.classify(unreachable).retryAfterSeconds()).isEqualTo(5);
        assertThat(Outages.classify(exhausted).retryAfterSeconds()).isEqualTo(1);
        assertThat(Outages.classify(new SQLException("canceling statement due to lock timeout", "55P03"))
                        .retryAfterSeconds())
                .isEqualTo(1);
    }

    @Test
    void aDisconnectedRedisIsAnOutageButAnErrorReplyIsNot() {
        assertThat(Outages.classify(new IllegalStateException(
                                "wrapped", new RedisException("Currently not connected. Commands are rejected.")))
                        .dependency())
                .isEqualTo(Dependency.REDIS);
        assertThat(Outages.classify(new RedisCommandExecutionException("WRONGTYPE")))
                .isNull();
    }

    @Test
    void anythingElseIsNotAnOutage() {
        assertThat(Outages.classify(new IllegalStateException("a bug"))).isNull();
        assertThat(Outages.classify(new SQLException("syntax error", "42601"))).isNull();
    }

    @Test
    void refusalsAreAllCountedButLoggedOncePerInterval() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Outages outages = new Outages(registry);
        UnavailableException outage = Outages.classify(new SQLException("refused", "08001"));
        try (CapturedLog log = CapturedLog.of(Outages.class)) {
            for (int i = 0; i < 20; i++) {
                outages.refused(outage, "GET /api/v1/conversations");
            }
            assertThat(log.messages())
                    .singleElement()
                    .asString()
                    .startsWith("database_unavailable refused=1 last=\"GET /api/v1/conversations\"");
            assertThat(log.anyStackTrace()).isFalse();
        }
        assertThat(registry.counter("service.unavailable", "dependency", "database")
                        .count())
                .isEqualTo(20);
    }
}

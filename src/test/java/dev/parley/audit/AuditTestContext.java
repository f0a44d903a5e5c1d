package dev.parley.audit;

import dev.parley.support.MutableClock;
import dev.parley.support.TestClient;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.bean.override.convention.TestBean;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The audit tests' server: a PostgreSQL of its own (the tamper tests damage the chain on purpose, which no other
 * test should see), a clock that moves only when a test says, small flood limits, and the test client standing in
 * for a trusted proxy so that {@code X-Forwarded-For} names the client address. One context for every audit test
 * class (they extend this).
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "parley.data-dir=target/test-data/audit",
            "parley.http.trusted-proxies=127.0.0.1/32",
            "parley.audit.flood.per-key=3",
            "parley.audit.flood.per-window=10",
            "parley.audit.flood.window=1m"
        })
@ActiveProfiles("test")
abstract class AuditTestContext {

    static final MutableClock CLOCK = new MutableClock(Instant.now());

    @TestBean
    Clock clock;

    @LocalServerPort
    int port;

    @Autowired
    AuditLog audit;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PlatformTransactionManager transactions;

    TestClient api;

    static Clock clock() {
        return CLOCK;
    }

    @BeforeEach
    void client() {
        api = new TestClient("http://127.0.0.1:" + port);
    }

    /**
     * Runs SQL as someone with database access who gets past the triggers (the superuser the embedded server
     * runs the application as), as an attacker with such access would.
     */
    void asAttacker(String... statements) {
        new TransactionTemplate(transactions).executeWithoutResult(status -> {
            jdbc.sql("SET LOCAL session_replication_role = replica").update();
            for (String statement : statements) {
                jdbc.sql(statement).update();
            }
        });
    }

    /** An empty log with its head and anchor at the start, so a test counts and numbers entries from 1. */
    void emptyLog() {
        String zero = "decode('" + HexFormat.of().formatHex(new byte[32]) + "', 'hex')";
        asAttacker(
                "TRUNCATE audit_log",
                "UPDATE audit_chain_head SET last_seq = 0, last_hash = " + zero,
                "UPDATE audit_anchor SET first_seq = 1, prev_hash = " + zero + ", purged_at = NULL");
    }
}

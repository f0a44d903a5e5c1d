package dev.parley.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parley.support.ApiTest;
import dev.parley.support.TestClient;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A text send is one transaction, though it travels as two statements with one Sync on an autocommit connection
 * (SendTransaction): the conversation's row lock taken by the first is held until the second has stored and
 * logged, and a failure in the second takes everything back, the seq included. Were the statements ever split into
 * two transactions (a Sync each, say), the lock would be released before the store judges membership and takes
 * its seq, and the first assertion below fails.
 */
class SendOneTransactionTest extends ApiTest {

    @Autowired
    DataSource dataSource;

    @Test
    void theLockIsHeldWhileTheStoreRunsAndAFailedStoreLeavesNothing() throws Exception {
        TestClient.User alice = api.register("one");
        TestClient.User bob = api.register("one");
        UUID conversation = chat.direct(alice, bob);
        chat.sendOk(alice, conversation, "first");
        JdbcClient jdbc = JdbcClient.create(dataSource);
        String key = "held-" + UUID.randomUUID();

        CompletableFuture<TestClient.Resp> send;
        try (Connection holder = dataSource.getConnection()) {
            // Another transaction holds the send's idempotency key, uncommitted: the store statement, which
            // inserts its key before it takes the seq, waits for it, after the lock statement has run.
            holder.setAutoCommit(false);
            try (var st = holder.prepareStatement("""
                    INSERT INTO message_idempotency (conversation_id, sender_id, client_message_id, message_id,
                                                     created_at)
                    VALUES (?, ?, ?, ?, now())""")) {
                st.setObject(1, conversation);
                st.setObject(2, alice.id());
                st.setString(3, key);
                st.setObject(4, UUID.randomUUID());
                st.executeUpdate();
            }
            send = CompletableFuture.supplyAsync(() -> api.post(
                    "/api/v1/conversations/" + conversation + "/messages",
                    alice.token(),
                    Map.of("type", "text", "content", "never stored", "client_message_id", key)));
            long store =
                    await().atMost(Duration.ofSeconds(10)).until(() -> storeWaitingOnItsKey(jdbc), pid -> pid != null);

            // The send's transaction still holds the conversation's row from its first statement.
            assertThatThrownBy(() -> lockNoWait(conversation))
                    .isInstanceOf(SQLException.class)
                    .extracting(e -> ((SQLException) e).getSQLState())
                    .isEqualTo("55P03");

            // The store fails after the lock (cancelled while it waits): the whole transaction goes.
            jdbc.sql("SELECT pg_cancel_backend(CAST(:pid AS integer))")
                    .param("pid", store)
                    .query(Boolean.class)
                    .single();
            assertThat(send.get().status()).isGreaterThanOrEqualTo(500);
            holder.rollback();
        }

        // Nothing of the failed send remains: no seq taken, no message, no key, no event; the row is free again.
        lockNoWait(conversation);
        assertThat(chat.conversation(bob, conversation).path("last_seq").asLong())
                .isEqualTo(1);
        assertThat(jdbc.sql("SELECT count(*) FROM message_idempotency WHERE client_message_id = :key")
                        .param("key", key)
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM events WHERE conversation_id = :cid AND type = 'message.new'")
                        .param("cid", conversation)
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
        var history = api.get("/api/v1/conversations/" + conversation + "/messages", bob.token())
                .expect(200)
                .json()
                .path("messages");
        assertThat(history.size()).isEqualTo(1);
        // The next send takes the next seq: none was lost.
        var retried = api.post(
                        "/api/v1/conversations/" + conversation + "/messages",
                        alice.token(),
                        Map.of("type", "text", "content", "stored now", "client_message_id", key))
                .expect(201);
        assertThat(retried.json().path("seq").asLong()).isEqualTo(2);
    }

    /** The backend whose send statement waits for another transaction's idempotency key, if any. */
    private static Long storeWaitingOnItsKey(JdbcClient jdbc) {
        String waiting = """
                SELECT pid FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock'
                  AND query LIKE '%INSERT INTO message_idempotency%' AND pid <> pg_backend_pid()""";
        return jdbc.sql(waiting).query(Long.class).optional().orElse(null);
    }

    /** Takes and at once releases the conversation's row lock, failing with 55P03 if a transaction holds it. */
    private void lockNoWait(UUID conversation) throws SQLException {
        try (Connection probe = dataSource.getConnection();
                var st = probe.prepareStatement(
                        "SELECT 1 FROM conversations WHERE conversation_id = ? FOR NO KEY UPDATE NOWAIT")) {
            probe.setAutoCommit(true);
            st.setObject(1, conversation);
            st.executeQuery().close();
        }
    }
}

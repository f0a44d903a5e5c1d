package dev.parley.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.support.ApiTest;
import dev.parley.support.TestClient;
import java.sql.Connection;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A member removed while their send waits for the conversation's lock must not get the message in: the
 * eligibility check has to see the removal that committed during the wait.
 */
class SendRacingRemovalTest extends ApiTest {

    @Autowired
    DataSource dataSource;

    @Test
    void aSendWaitingOnARemovalIsRefusedOnceTheRemovalCommits() throws Exception {
        TestClient.User owner = api.register("race");
        TestClient.User member = api.register("race");
        UUID group = chat.group(owner, "race", member);
        JdbcClient jdbc = JdbcClient.create(dataSource);

        CompletableFuture<TestClient.Resp> send;
        try (Connection removal = dataSource.getConnection()) {
            removal.setAutoCommit(false);
            try (var st = removal.createStatement()) {
                // What a removal does: lock the members, mark one left, take the conversation row for its
                // system message.
                st.execute("SELECT 1 FROM conversation_participants WHERE conversation_id = '" + group
                        + "' AND left_at IS NULL FOR UPDATE");
                st.execute("UPDATE conversation_participants SET left_at = now() WHERE conversation_id = '" + group
                        + "' AND user_id = '" + member.id() + "'");
                st.execute("UPDATE conversations SET updated_at = now() WHERE conversation_id = '" + group + "'");
            }
            send = CompletableFuture.supplyAsync(() -> chat.send(member, group, "after my removal?"));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> jdbc.sql("""
                    SELECT count(*) FROM pg_stat_activity
                    WHERE datname = current_database() AND wait_event_type = 'Lock'""").query(Long.class).single() > 0);
            removal.commit();
        }
        send.get().expectError(404, "CONVERSATION_NOT_FOUND");
        var history = api.get("/api/v1/conversations/" + group + "/messages", owner.token())
                .expect(200)
                .json();
        history.path("messages")
                .forEach(m -> assertThat(m.path("content").asString()).isNotEqualTo("after my removal?"));
    }
}

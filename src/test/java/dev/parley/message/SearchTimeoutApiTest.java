package dev.parley.message;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.support.ApiTest;
import dev.parley.support.TestClient;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * A search that runs past {@code parley.search.timeout} is cancelled by the database and answered 503 with
 * Retry-After, never 500. A context of its own, for its short timeout; the slow search is made by holding the
 * search index locked, so that the search waits, as it would behind a slow plan.
 */
@TestPropertySource(properties = "parley.search.timeout=300ms")
class SearchTimeoutApiTest extends ApiTest {

    @Autowired
    private DataSource dataSource;

    @Test
    void aSearchOverItsTimeIsAnsweredServiceUnavailableWithRetryAfter() throws Exception {
        TestClient.User alice = api.register("slowsearch");
        TestClient.User bob = api.register("slowsearch");
        UUID direct = chat.direct(alice, bob);
        try (Connection db = dataSource.getConnection()) {
            db.setAutoCommit(false);
            try (Statement st = db.createStatement()) {
                st.execute("LOCK TABLE message_search IN ACCESS EXCLUSIVE MODE");
            }
            try {
                for (String path : List.of(
                        "/api/v1/messages/search?q=hello",
                        "/api/v1/conversations/" + direct + "/messages/search?q=hello")) {
                    TestClient.Resp slow = api.get(path, alice.token()).expectError(503, "SERVICE_UNAVAILABLE");
                    assertThat(slow.headers().firstValue("Retry-After")).hasValue("1");
                    // The search's own timeout, not the 10 s lock timeout every statement has.
                    assertThat(slow.json().path("message").asString()).contains("took too long");
                }
            } finally {
                db.rollback();
            }
        }
        api.get("/api/v1/messages/search?q=hello", alice.token()).expect(200);
    }
}

package dev.parley.support;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * Base of the HTTP integration tests: one server on a random port over the embedded PostgreSQL (or the server
 * named by SPRING_DATASOURCE_URL), shared by every test class through Spring's context cache. Tests isolate
 * themselves by registering fresh users, never by wiping tables.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "parley.data-dir=target/test-data/shared")
@ActiveProfiles("test")
public abstract class ApiTest {

    @LocalServerPort
    private int port;

    protected TestClient api;

    /** Shorthands over {@link #api}. */
    protected Chat chat;

    @BeforeEach
    void setUpClient() {
        api = new TestClient("http://127.0.0.1:" + port);
        chat = new Chat(api);
    }
}

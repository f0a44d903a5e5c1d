package dev.parley.user;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.ParleyApplication;
import dev.parley.support.Chat;
import dev.parley.support.TestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * An erasure stopped half-way by a server stop is finished by the next server: the first runs two batches of ten
 * messages and stops; the second, on the same database, finds the erasure pending and completes it.
 */
class AccountErasureRestartTest {

    @Test
    void anErasureInterruptedByARestartCompletes() throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("target"), "erasure-restart-");
        TestClient.User alice;
        TestClient.User bob;
        UUID direct;
        try (ConfigurableApplicationContext first = start(dataDir, false)) {
            TestClient api = client(first);
            Chat chat = new Chat(api);
            alice = api.register("half");
            bob = api.register("halfb");
            direct = chat.direct(alice, bob);
            for (int i = 0; i < 35; i++) {
                chat.sendOk(alice, direct, "alice line " + i);
            }
            chat.sendOk(bob, direct, "bob line stays");
            api.send("DELETE", "/api/v1/users/me", alice.token(), Map.of("password", "correct horse"))
                    .expect(204);
            AccountDeletions deletions = first.getBean(AccountDeletions.class);
            assertThat(deletions.runBatch()).isTrue();
            assertThat(deletions.runBatch()).isTrue();
            assertThat(liveMessages(first.getBean(JdbcClient.class), alice.id()))
                    .isEqualTo(15);
        }
        try (ConfigurableApplicationContext second = start(dataDir, true)) {
            JdbcClient jdbc = second.getBean(JdbcClient.class);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> jdbc.sql("SELECT completed_at IS NOT NULL FROM account_deletions WHERE user_id = :u")
                            .param("u", alice.id())
                            .query(Boolean.class)
                            .single());
            assertThat(liveMessages(jdbc, alice.id())).isZero();
            TestClient api = client(second);
            TestClient.User bobAgain = new TestClient.User(
                    bob.id(),
                    bob.username(),
                    api.post(
                                    "/api/v1/auth/login",
                                    null,
                                    Map.of("username", bob.username(), "password", "correct horse"))
                            .expect(200)
                            .text("access_token"),
                    null);
            String history = new Chat(api).history(bobAgain, direct).toString();
            assertThat(history).contains("bob line stays").doesNotContain("alice line");
            assertThat(jdbc.sql("SELECT runs FROM account_deletions WHERE user_id = :u")
                            .param("u", alice.id())
                            .query(Integer.class)
                            .single())
                    .as("batches with work left")
                    .isEqualTo(3);
        }
    }

    private static long liveMessages(JdbcClient jdbc, UUID sender) {
        return jdbc.sql("SELECT count(*) FROM messages WHERE sender_id = :u AND NOT is_deleted")
                .param("u", sender)
                .query(Long.class)
                .single();
    }

    private static ConfigurableApplicationContext start(Path dataDir, boolean erasure) {
        return new SpringApplicationBuilder(ParleyApplication.class)
                .profiles("test")
                .run(
                        "--server.port=0",
                        "--spring.datasource.url=",
                        "--parley.data-dir=" + dataDir,
                        "--parley.auth.jwt-secret=",
                        "--parley.accounts.erasure-batch=10",
                        "--parley.accounts.erasure-enabled=" + erasure);
    }

    private static TestClient client(ConfigurableApplicationContext context) {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        return new TestClient("http://127.0.0.1:" + port);
    }
}

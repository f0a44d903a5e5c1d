package dev.parley.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.ParleyApplication;
import dev.parley.support.Chat;
import dev.parley.support.TestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** The embedded default keeps its data across a full stop and start of the server (and its PostgreSQL). */
class EmbeddedRestartTest {

    @Test
    void dataSurvivesARestartOfTheEmbeddedSetup() throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("target"), "restart-");
        UUID conversation;
        UUID message;
        TestClient.User alice;
        try (ConfigurableApplicationContext first = start(dataDir)) {
            TestClient api = client(first);
            alice = api.register("keep");
            TestClient.User bob = api.register("keep");
            Chat chat = new Chat(api);
            conversation = chat.direct(alice, bob);
            message = chat.sendOk(alice, conversation, "still here after a restart");
        }
        try (ConfigurableApplicationContext second = start(dataDir)) {
            TestClient api = client(second);
            var login = api.post(
                            "/api/v1/auth/login",
                            null,
                            Map.of("username", alice.username(), "password", "correct horse"))
                    .expect(200);
            var got = api.get("/api/v1/messages/" + message, login.text("access_token"))
                    .expect(200);
            assertThat(got.text("content")).isEqualTo("still here after a restart");
            // The old access token is still valid: the signing secret is kept in the data folder too.
            api.get("/api/v1/conversations/" + conversation, alice.token()).expect(200);
            var next = api.post(
                            "/api/v1/conversations/" + conversation + "/messages",
                            alice.token(),
                            Map.of("type", "text", "content", "after"))
                    .expect(201);
            assertThat(next.json().path("seq").asLong()).isEqualTo(2);
        }
    }

    private static ConfigurableApplicationContext start(Path dataDir) {
        // Command-line arguments outrank SPRING_DATASOURCE_URL, so this runs embedded even in the external CI pass.
        return new SpringApplicationBuilder(ParleyApplication.class)
                .profiles("test")
                .run(
                        "--server.port=0",
                        "--spring.datasource.url=",
                        "--parley.data-dir=" + dataDir,
                        "--parley.auth.jwt-secret=");
    }

    private static TestClient client(ConfigurableApplicationContext context) {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        return new TestClient("http://127.0.0.1:" + port);
    }
}

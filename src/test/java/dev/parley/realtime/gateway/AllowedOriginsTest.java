package dev.parley.realtime.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.ParleyApplication;
import dev.parley.support.TestClient;
import dev.parley.support.WsClient;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** With an allowlist configured, only those web origins may open a socket; native apps send none. */
class AllowedOriginsTest {

    @Test
    void onlyAllowedOriginsMayOpenASocket() throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("target"), "origins-");
        // Command-line arguments outrank SPRING_DATASOURCE_URL, so this runs embedded even in the external CI pass.
        try (ConfigurableApplicationContext server = new SpringApplicationBuilder(ParleyApplication.class)
                .profiles("test")
                .run(
                        "--server.port=0",
                        "--spring.datasource.url=",
                        "--parley.data-dir=" + dataDir,
                        "--parley.realtime.allowed-origins=https://app.example.com,https://*.example.org")) {
            TestClient api = new TestClient("http://127.0.0.1:"
                    + ((WebServerApplicationContext) server).getWebServer().getPort());
            TestClient.User alice = api.register("origin");
            assertThat(WsClient.refusal(api, alice.token(), null, "https://app.example.com"))
                    .isEmpty();
            assertThat(WsClient.refusal(api, alice.token(), null, "https://chat.example.org"))
                    .isEmpty();
            assertThat(WsClient.refusal(api, alice.token(), null, null))
                    .as("no Origin: a native app")
                    .isEmpty();
            assertThat(WsClient.refusal(api, alice.token(), null, "https://evil.example.net"))
                    .contains(403);
            assertThat(WsClient.refusal(api, null, null, "https://evil.example.net"))
                    .contains(403);
        }
    }
}

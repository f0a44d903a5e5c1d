package dev.parley.support;

import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the moderation and administration tests: one server (a context of its own, shared by these classes) with
 * content rules, a moderation hook ({@link #HOOK}, answering allow unless a test says otherwise) and one configured
 * admin username ({@link #ADMIN_NAME}), registered by whichever test needs it first: the setting covers accounts
 * registered after start-up.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "parley.data-dir=target/test-data/shared",
            "parley.moderation.rules[0]=reject badword",
            "parley.moderation.rules[1]=reject free money",
            "parley.moderation.rules[2]=mask darn",
            "parley.moderation.rules[3]=reject /cas[i1]no\\\\s*bonus/",
            "parley.moderation.rules[4]=reject ass",
            "parley.moderation.hook.secret=hook-secret",
            "parley.moderation.hook.timeout=700ms",
            "parley.moderation.hook.on-failure=allow"
        })
@ActiveProfiles("test")
public abstract class ModerationApiTest {

    public static final HookStandIn HOOK = new HookStandIn();
    public static final String ADMIN_NAME =
            "root_" + UUID.randomUUID().toString().substring(0, 8);

    @DynamicPropertySource
    static void hook(DynamicPropertyRegistry registry) {
        registry.add("parley.moderation.hook.url", HOOK::url);
        registry.add("parley.admin.usernames", () -> "someone_else," + ADMIN_NAME.toUpperCase());
    }

    @LocalServerPort
    private int port;

    protected TestClient api;
    protected Chat chat;

    @BeforeEach
    void setUpClient() {
        api = new TestClient("http://127.0.0.1:" + port);
        chat = new Chat(api);
        HOOK.allowAll();
    }

    /** The configured admin, registered on first use (or logged in again). */
    protected TestClient.User admin() {
        TestClient.Resp registered =
                api.post("/api/v1/auth/register", null, Map.of("username", ADMIN_NAME, "password", "admin-password-1"));
        if (registered.status() == 201) {
            return user(registered);
        }
        return user(api.post("/api/v1/auth/login", null, Map.of("username", ADMIN_NAME, "password", "admin-password-1"))
                .expect(200));
    }

    /** The user of a register or login answer. */
    protected static TestClient.User user(TestClient.Resp auth) {
        return new TestClient.User(
                UUID.fromString(auth.json().path("user").path("user_id").asString()),
                auth.json().path("user").path("username").asString(),
                auth.text("access_token"),
                auth.text("refresh_token"));
    }
}

package dev.parley.contact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.support.HostLookupStandIn;
import dev.parley.support.TestClient;
import dev.parley.support.WsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The contact policy {@code contacts}: only contacts may start a direct chat or be put into a group, whether they
 * are contacts by their own mutual requests, by an admin's bulk call, or by the host app's lookup (up, down, slow:
 * denied when it does not answer in time, as configured here).
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "parley.data-dir=target/test-data/shared",
            "parley.contacts.policy=contacts",
            "parley.contacts.lookup.secret=" + ContactPolicyApiTest.SECRET,
            "parley.contacts.lookup.timeout=1s",
            "parley.contacts.lookup.on-failure=deny"
        })
@ActiveProfiles("test")
class ContactPolicyApiTest {

    static final String SECRET = "host-lookup-secret-0123456789";
    private static final HostLookupStandIn HOST = new HostLookupStandIn(SECRET);
    private static final String ADMIN = "croot_" + UUID.randomUUID().toString().substring(0, 8);
    private static final String CONVERSATIONS = "/api/v1/conversations";

    @DynamicPropertySource
    static void host(DynamicPropertyRegistry registry) {
        registry.add("parley.contacts.lookup.url", HOST::url);
        registry.add("parley.admin.usernames", () -> ADMIN);
    }

    @LocalServerPort
    private int port;

    private TestClient api;

    @BeforeEach
    void client() {
        api = new TestClient("http://127.0.0.1:" + port);
        HOST.mode(HostLookupStandIn.Mode.UP);
    }

    private TestClient.Resp direct(TestClient.User from, TestClient.User to) {
        return api.post(
                CONVERSATIONS,
                from.token(),
                Map.of("type", "direct", "participant_ids", List.of(to.id().toString())));
    }

    private TestClient.Resp group(TestClient.User owner, TestClient.User... members) {
        List<String> ids = new ArrayList<>();
        for (TestClient.User m : members) {
            ids.add(m.id().toString());
        }
        return api.post(CONVERSATIONS, owner.token(), Map.of("type", "group", "name", "G", "participant_ids", ids));
    }

    private List<String> listed(TestClient.User user, String status) {
        List<String> out = new ArrayList<>();
        api.get("/api/v1/users/me/contacts?status=" + status, user.token())
                .expect(200)
                .json()
                .path("contacts")
                .forEach(c -> out.add(c.path("user").path("user_id").asString()));
        return out;
    }

    private TestClient.User admin() {
        TestClient.Resp registered =
                api.post("/api/v1/auth/register", null, Map.of("username", ADMIN, "password", "admin-password-1"));
        TestClient.Resp auth = registered.status() == 201
                ? registered
                : api.post("/api/v1/auth/login", null, Map.of("username", ADMIN, "password", "admin-password-1"))
                        .expect(200);
        return new TestClient.User(
                UUID.fromString(auth.json().path("user").path("user_id").asString()),
                ADMIN,
                auth.text("access_token"),
                auth.text("refresh_token"));
    }

    @Test
    void strangersAreRefusedEverywhereAContactIsNeeded() {
        TestClient.User me = api.register("pol_me");
        TestClient.User stranger = api.register("pol_str");
        TestClient.User friend = api.register("pol_fr");
        HOST.friends(me.id(), friend.id());

        TestClient.Resp refused = direct(me, stranger).expectError(403, "NOT_A_CONTACT");
        assertThat(refused.json().path("details").path("user_ids").toString())
                .contains(stranger.id().toString());
        group(me, friend, stranger).expectError(403, "NOT_A_CONTACT");
        UUID groupId = group(me, friend).expect(201).id("conversation_id");
        api.post(
                        CONVERSATIONS + "/" + groupId + "/participants",
                        me.token(),
                        Map.of("user_ids", List.of(stranger.id())))
                .expectError(403, "NOT_A_CONTACT");
        UUID directId = direct(me, friend).expect(201).id("conversation_id");
        // Contacts talk as ever, on the socket too.
        try (WsClient socket = WsClient.connect(api, friend)) {
            api.post(
                            CONVERSATIONS + "/" + directId + "/messages",
                            me.token(),
                            Map.of("type", "text", "content", "hi friend"))
                    .expect(201);
            socket.await("message.new", d -> d.toString().contains("hi friend"));
        }
        assertThat(HOST.calls()).allMatch(HostLookupStandIn.Call::signed);
    }

    @Test
    void aHostThatIsDownOrSlowDeniesAsConfigured() {
        TestClient.User me = api.register("down_me");
        TestClient.User friend = api.register("down_fr");
        TestClient.User other = api.register("slow_fr");
        HOST.friends(me.id(), friend.id());
        HOST.friends(me.id(), other.id());
        HOST.mode(HostLookupStandIn.Mode.DOWN);
        direct(me, friend).expectError(403, "NOT_A_CONTACT");
        HOST.mode(HostLookupStandIn.Mode.SLOW);
        long started = System.nanoTime();
        direct(me, other).expectError(403, "NOT_A_CONTACT");
        assertThat((System.nanoTime() - started) / 1_000_000)
                .as("bounded by the lookup timeout")
                .isLessThan(5_000);
        HOST.mode(HostLookupStandIn.Mode.UP);
        direct(me, friend).expect(201);
    }

    @Test
    void ownAccountsBecomeContactsByMutualRequests() {
        TestClient.User alice = api.register("own_a");
        TestClient.User bob = api.register("own_b");
        String toBob = "/api/v1/users/" + bob.id() + "/contact";
        String toAlice = "/api/v1/users/" + alice.id() + "/contact";

        assertThat(api.post(toBob, alice.token(), null).expect(200).text("status"))
                .isEqualTo("outgoing");
        assertThat(listed(alice, "outgoing")).containsExactly(bob.id().toString());
        assertThat(listed(bob, "incoming")).containsExactly(alice.id().toString());
        direct(alice, bob).expectError(403, "NOT_A_CONTACT");

        assertThat(api.post(toAlice, bob.token(), null).expect(200).text("status"))
                .isEqualTo("accepted");
        assertThat(listed(alice, "accepted")).containsExactly(bob.id().toString());
        assertThat(listed(bob, "accepted")).containsExactly(alice.id().toString());
        assertThat(listed(bob, "incoming")).isEmpty();
        direct(alice, bob).expect(201);

        api.delete(toAlice, bob.token()).expect(204);
        assertThat(listed(alice, "accepted")).isEmpty();
        group(alice, bob).expectError(403, "NOT_A_CONTACT");

        api.post("/api/v1/users/" + alice.id() + "/contact", alice.token(), null)
                .expectError(400, "VALIDATION_FAILED");
        api.post("/api/v1/users/" + UUID.randomUUID() + "/contact", alice.token(), null)
                .expectError(404, "USER_NOT_FOUND");
        api.get("/api/v1/users/me/contacts?status=maybe", alice.token()).expectError(400, "VALIDATION_FAILED");
        api.get("/api/v1/users/me/contacts?limit=1000", alice.token()).expectError(400, "VALIDATION_FAILED");
        api.post("/api/v1/users/" + bob.id() + "/block", alice.token(), null).expect(204);
        api.post(toAlice, bob.token(), null).expectError(403, "USER_BLOCKED");
    }

    @Test
    void aDeletedAccountLeavesNoContactsBehind() {
        TestClient.User alice = api.register("gone_a");
        TestClient.User bob = api.register("gone_b");
        api.post("/api/v1/users/" + bob.id() + "/contact", alice.token(), null).expect(200);
        api.post("/api/v1/users/" + alice.id() + "/contact", bob.token(), null).expect(200);
        assertThat(listed(alice, "accepted")).containsExactly(bob.id().toString());
        api.send("DELETE", "/api/v1/users/me", bob.token(), Map.of("password", "correct horse"))
                .expect(204);
        Awaitility.await()
                .atMost(Duration.ofSeconds(15))
                .until(() -> listed(alice, "accepted").isEmpty());
    }

    @Test
    void anAdminPushesContactsInBulk() {
        TestClient.User admin = admin();
        TestClient.User a = api.register("bulk_a");
        TestClient.User b = api.register("bulk_b");
        TestClient.User c = api.register("bulk_c");
        Map<String, Object> body = Map.of("pairs", List.of(List.of(a.id(), b.id()), List.of(a.id(), c.id())));

        api.put("/api/v1/admin/contacts", a.token(), body).expectError(403, "FORBIDDEN");
        direct(a, b).expectError(403, "NOT_A_CONTACT");
        api.put("/api/v1/admin/contacts", admin.token(), body).expect(204);
        api.put("/api/v1/admin/contacts", admin.token(), body).expect(204);
        group(a, b, c).expect(201);
        assertThat(listed(b, "accepted")).containsExactly(a.id().toString());

        api.put(
                        "/api/v1/admin/contacts",
                        admin.token(),
                        Map.of("pairs", List.of(), "remove", List.of(List.of(b.id(), a.id()))))
                .expect(204);
        direct(a, b).expectError(403, "NOT_A_CONTACT");
        direct(a, c).expect(201);
        assertThat(api.get("/api/v1/admin/audit?action=contacts_changed&actor=" + admin.id(), admin.token())
                        .expect(200)
                        .json()
                        .path("entries")
                        .size())
                .isEqualTo(3);

        api.put("/api/v1/admin/contacts", admin.token(), Map.of("pairs", List.of(List.of(a.id()))))
                .expectError(400, "VALIDATION_FAILED");
        api.put("/api/v1/admin/contacts", admin.token(), Map.of("pairs", List.of(List.of(a.id(), a.id()))))
                .expectError(400, "VALIDATION_FAILED");
        api.put("/api/v1/admin/contacts", admin.token(), Map.of("pairs", List.of(List.of(a.id(), UUID.randomUUID()))))
                .expectError(404, "USER_NOT_FOUND");
        api.put("/api/v1/admin/contacts", admin.token(), Map.of()).expectError(400, "VALIDATION_FAILED");
    }
}

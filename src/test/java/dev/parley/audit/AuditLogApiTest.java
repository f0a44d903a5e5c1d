package dev.parley.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parley.common.ParleyException;
import dev.parley.support.TestClient;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The acts auth performs today reach the log through the public API, with the client address; failed logins past
 * the flood limits become one summary per window; the admin query pages and filters.
 */
class AuditLogApiTest extends AuditTestContext {

    @Test
    void aLoginWritesAnEntryWithTheClientAddressAndSession() {
        TestClient.User ann = api.register("audit");
        TestClient.Resp login =
                login(ann.username(), "correct horse", "203.0.113.7").expect(200);

        List<AuditRecord> entries = of(ann.id(), AuditAction.LOGIN);
        assertThat(entries).hasSize(1);
        AuditRecord entry = entries.getFirst();
        assertThat(entry.action()).isEqualTo("login");
        assertThat(entry.actorId()).isEqualTo(ann.id());
        assertThat(entry.ip()).isEqualTo("203.0.113.7");
        assertThat(entry.targetType()).isEqualTo("session");
        assertThat(api.get("/api/v1/users/me/sessions", login.text("access_token"))
                        .expect(200)
                        .json()
                        .path("sessions")
                        .findValuesAsString("session_id"))
                .contains(entry.targetId());
        assertThat(entry.at()).isEqualTo(CLOCK.instant().truncatedTo(ChronoUnit.MILLIS));
        assertThat(api.get("/metrics", null).raw()).containsPattern("audit_entries_total\\{[^}]*action=\"login\"");
    }

    @Test
    void sessionActsAreRecordedWithTheirAddress() {
        TestClient.User bea = api.register("audit");
        String token = bea.token();
        Map<String, String> from = Map.of("X-Forwarded-For", "198.51.100.20");

        // Logout of one session (by its refresh token), then the deletion of another by id.
        TestClient.Resp second =
                login(bea.username(), "correct horse", "198.51.100.20").expect(200);
        api.post("/api/v1/auth/logout", token, Map.of("refresh_token", second.text("refresh_token")), from)
                .expect(204);
        TestClient.Resp third =
                login(bea.username(), "correct horse", "198.51.100.20").expect(200);
        String thirdSession = of(bea.id(), AuditAction.LOGIN).getFirst().targetId();
        assertThat(api.send("DELETE", "/api/v1/users/me/sessions/" + thirdSession, token, null)
                        .status())
                .isEqualTo(204);

        // A password change (ending every other session), then a replayed refresh token, then logout-all.
        assertThat(api.put(
                                "/api/v1/users/me/password",
                                token,
                                Map.of("current_password", "correct horse", "new_password", "battery staple"))
                        .status())
                .isEqualTo(204);
        TestClient.Resp fourth =
                login(bea.username(), "battery staple", "198.51.100.20").expect(200);
        String refresh = fourth.text("refresh_token");
        api.post("/api/v1/auth/refresh", null, Map.of("refresh_token", refresh), from)
                .expect(200);
        api.post("/api/v1/auth/refresh", null, Map.of("refresh_token", refresh), from)
                .expectError(401, "UNAUTHORIZED");
        api.post("/api/v1/auth/logout-all", token, null, from).expect(204);

        assertThat(of(bea.id(), AuditAction.LOGOUT))
                .singleElement()
                .satisfies(e -> assertThat(e.ip()).isEqualTo("198.51.100.20"));
        assertThat(of(bea.id(), AuditAction.SESSION_REVOKED))
                .singleElement()
                .satisfies(e -> assertThat(e.targetId()).isEqualTo(thirdSession));
        assertThat(of(bea.id(), AuditAction.PASSWORD_CHANGED))
                .singleElement()
                .satisfies(e -> assertThat(e.targetId()).isEqualTo(bea.id().toString()));
        assertThat(of(bea.id(), AuditAction.REFRESH_TOKEN_REUSED))
                .singleElement()
                .satisfies(e -> assertThat(e.ip()).isEqualTo("198.51.100.20"));
        assertThat(of(bea.id(), AuditAction.LOGOUT_ALL))
                .singleElement()
                .satisfies(e -> assertThat(e.ip()).isEqualTo("198.51.100.20"));
        assertThat(third.status()).isEqualTo(200);
        assertThat(audit.verify().ok()).isTrue();
    }

    @Test
    void failedLoginsPastTheLimitBecomeOneSummaryPerWindow() {
        // A window of its own: nothing else fails logins in it.
        CLOCK.advance(Duration.ofMinutes(1));
        TestClient.User cal = api.register("audit");
        for (int i = 0; i < 7; i++) {
            login(cal.username(), "guess " + i, "192.0.2.50").expectError(401, "UNAUTHORIZED");
        }
        // Three recorded one by one (per-key 3), each naming the account, the address and the typed username.
        List<AuditRecord> failed = audit.query(
                        new AuditFilter(
                                null, AuditTargetType.USER, cal.id().toString(), AuditAction.LOGIN_FAILED, null, null),
                        null,
                        100)
                .entries();
        assertThat(failed).hasSize(3).allSatisfy(e -> {
            assertThat(e.actorId()).isNull();
            assertThat(e.ip()).isEqualTo("192.0.2.50");
            assertThat(e.details())
                    .containsEntry("username", cal.username())
                    .containsEntry("reason", "bad_credentials");
        });
        // Unknown usernames too, each its own key, up to the window's 10 in all.
        for (int i = 0; i < 9; i++) {
            login(TestClient.uniqueName("nobody"), "guess", "192.0.2.51").expectError(401, "UNAUTHORIZED");
        }

        CLOCK.advance(Duration.ofMinutes(1));
        AuditRecord summary = await().atMost(Duration.ofSeconds(10)).until(this::latestSummary, s -> s != null);
        assertThat(summary.actorId()).isNull();
        // 4 of Cal's beyond the per-key 3, and 2 unknown names beyond the window's 10.
        assertThat(summary.details())
                .containsEntry("summary", true)
                .containsEntry("suppressed", 6)
                .containsEntry("window_seconds", 60)
                .containsEntry("other_keys", 0);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> top =
                (List<Map<String, Object>>) summary.details().get("top");
        assertThat(top).hasSize(3);
        assertThat(top.getFirst()).isEqualTo(Map.of("key", cal.username() + "@192.0.2.50", "count", 4));
    }

    @Test
    void queriesPageNewestFirstAndFilter() {
        UUID actor = UUID.randomUUID();
        for (int i = 0; i < 5; i++) {
            audit.record(AuditEntry.by(actor, i % 2 == 0 ? AuditAction.LOGIN : AuditAction.LOGOUT)
                    .detail("n", i));
        }
        AuditPage first = audit.query(AuditFilter.all().actor(actor), null, 2);
        assertThat(first.entries()).extracting(e -> e.details().get("n")).containsExactly(4, 3);
        AuditPage second = audit.query(AuditFilter.all().actor(actor), first.nextCursor(), 2);
        assertThat(second.entries()).extracting(e -> e.details().get("n")).containsExactly(2, 1);
        AuditPage last = audit.query(AuditFilter.all().actor(actor), second.nextCursor(), 2);
        assertThat(last.entries()).extracting(e -> e.details().get("n")).containsExactly(0);
        assertThat(last.nextCursor()).isNull();

        assertThat(audit.query(AuditFilter.all().actor(actor).action(AuditAction.LOGOUT), null, null)
                        .entries())
                .extracting(e -> e.details().get("n"))
                .containsExactly(3, 1);
        assertThat(audit.query(
                                AuditFilter.all()
                                        .actor(actor)
                                        .between(CLOCK.instant().plusSeconds(1), null),
                                null,
                                null)
                        .entries())
                .isEmpty();

        assertThatThrownBy(() -> audit.query(AuditFilter.all(), "not-a-cursor", 10))
                .isInstanceOfSatisfying(
                        ParleyException.class, e -> assertThat(e.details()).containsEntry("field", "cursor"));
        assertThatThrownBy(() -> audit.query(AuditFilter.all(), null, 101))
                .isInstanceOfSatisfying(
                        ParleyException.class, e -> assertThat(e.details()).containsEntry("field", "limit"));
    }

    @Test
    void entriesNeverHoldContent() {
        assertThatThrownBy(() -> AuditEntry.of(AuditAction.MODERATION_REFUSED).detail("content", "hello"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> audit.record(AuditEntry.of(AuditAction.MODERATION_REFUSED)
                        .detail("note", "x".repeat(AuditChain.DETAILS_MAX))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private AuditRecord latestSummary() {
        return audit.query(AuditFilter.all().action(AuditAction.LOGIN_FAILED), null, 5).entries().stream()
                .filter(e ->
                        e.actorId() == null && Boolean.TRUE.equals(e.details().get("summary")))
                .findFirst()
                .orElse(null);
    }

    private List<AuditRecord> of(UUID actor, AuditAction action) {
        return audit.query(AuditFilter.all().actor(actor).action(action), null, 100)
                .entries();
    }

    private TestClient.Resp login(String username, String password, String address) {
        return api.post(
                "/api/v1/auth/login",
                null,
                Map.of("username", username, "password", password),
                Map.of("X-Forwarded-For", address));
    }
}

package dev.parley.message;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.support.Chat;
import dev.parley.support.MutableClock;
import dev.parley.support.TestClient;
import dev.parley.support.WsClient;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.bean.override.convention.TestBean;
import tools.jackson.databind.JsonNode;

/**
 * Disappearing messages and retention, with a clock the test moves: once expired, a message is gone from every
 * read path (history, the message itself, search, sync, the conversation's preview and unread count) and
 * participants hear {@code message.deleted} with {@code expired: true}; retention drops whole months.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "parley.data-dir=target/test-data/expiry",
            "parley.messages.retention=90d",
            "parley.messages.expiry-sweep-interval=1h"
        })
@ActiveProfiles("test")
class MessageExpiryTest {

    private static final MutableClock CLOCK = new MutableClock(Instant.now());

    @TestBean
    private Clock clock;

    @LocalServerPort
    private int port;

    @Autowired
    private MessageExpiry expiry;

    @Autowired
    private JdbcClient jdbc;

    private TestClient api;
    private Chat chat;

    static Clock clock() {
        return CLOCK;
    }

    @BeforeEach
    void client() {
        api = new TestClient("http://127.0.0.1:" + port);
        chat = new Chat(api);
    }

    private TestClient.Resp setTtl(TestClient.User who, UUID conversation, Integer seconds) {
        Map<String, Object> body = new HashMap<>();
        body.put("message_ttl_seconds", seconds);
        return api.patch("/api/v1/conversations/" + conversation, who.token(), body);
    }

    @Test
    void disappearingMessagesLeaveEveryReadPathOnceExpired() {
        TestClient.User alice = api.register("ttla");
        TestClient.User bob = api.register("ttlb");
        TestClient.User carol = api.register("ttlc");
        UUID direct = chat.direct(alice, bob);
        setTtl(bob, direct, 10).expectError(400, "VALIDATION_FAILED");
        setTtl(bob, direct, 31_536_001).expectError(400, "VALIDATION_FAILED");
        assertThat(setTtl(bob, direct, 60)
                        .expect(200)
                        .json()
                        .path("message_ttl_seconds")
                        .asInt())
                .isEqualTo(60);
        assertThat(chat.systemMessages(alice, direct, "message_ttl_changed")).hasSize(1);
        UUID group = chat.group(alice, "ttl group", bob, carol);
        setTtl(carol, group, 60).expectError(403, "FORBIDDEN");
        setTtl(alice, group, 3600).expect(200);

        chat.sendOk(alice, direct, "before the clock moves");
        String word = "vanish" + Long.toString(System.nanoTime(), 36).replaceAll("[0-9]", "x");
        List<String> doomed = new ArrayList<>();
        try (WsClient aliceDevice = WsClient.connect(api, alice)) {
            for (int i = 0; i < 3; i++) {
                JsonNode sent =
                        chat.send(bob, direct, word + " " + i).expect(201).json();
                Instant created = Instant.parse(sent.path("created_at").asString());
                assertThat(Instant.parse(sent.path("expires_at").asString())).isEqualTo(created.plusSeconds(60));
                doomed.add(sent.path("message_id").asString());
            }
            assertThat(chat.unread(alice, direct)).isEqualTo(3);
            Chat.eventually(() -> assertThat(chat.search(alice, direct, word)).hasSize(3));
            assertThat(syncedMessageIds(alice)).containsAll(doomed);

            CLOCK.advance(Duration.ofSeconds(30));
            assertThat(expiry.run().expired()).isZero();
            CLOCK.advance(Duration.ofSeconds(31));
            assertThat(expiry.run().expired()).isGreaterThanOrEqualTo(3);

            for (String id : doomed) {
                JsonNode frame = aliceDevice.await(
                        "message.deleted", d -> d.path("message_id").asString().equals(id));
                assertThat(frame.path("expired").asBoolean()).isTrue();
            }
        }
        assertThat(chat.history(alice, direct).toString()).doesNotContain(word);
        doomed.forEach(id -> api.get("/api/v1/messages/" + id, alice.token()).expectError(404, "MESSAGE_NOT_FOUND"));
        assertThat(chat.search(alice, direct, word)).isEmpty();
        assertThat(chat.unread(alice, direct)).isZero();
        JsonNode preview = chat.conversation(alice, direct).path("last_message");
        assertThat(preview.toString()).doesNotContain(word);
        assertThat(syncedMessageIds(alice)).doesNotContainAnyElementsOf(doomed);
        JsonNode sync =
                api.get("/api/v1/sync?limit=500", alice.token()).expect(200).json();
        long expiredEvents = 0;
        for (JsonNode event : sync.path("events")) {
            if ("message.deleted".equals(event.path("type").asString())
                    && doomed.contains(event.path("data").path("message_id").asString())) {
                assertThat(event.path("data").path("expired").asBoolean()).isTrue();
                expiredEvents++;
            }
        }
        assertThat(expiredEvents).isEqualTo(3);
        // Off again: later messages stay.
        setTtl(alice, direct, null).expect(200);
        JsonNode kept = chat.send(bob, direct, "this one stays").expect(201).json();
        assertThat(kept.path("expires_at").isNull()).isTrue();
        CLOCK.advance(Duration.ofMinutes(2));
        expiry.run();
        api.get("/api/v1/messages/" + kept.path("message_id").asString(), alice.token())
                .expect(200);
        assertThat(chat.unread(alice, direct)).isEqualTo(1);
    }

    @Test
    void retentionDropsWholeMonthsAndDeletesTheRestBeforeTheCutOff() {
        TestClient.User alice = api.register("reta");
        TestClient.User bob = api.register("retb");
        UUID direct = chat.direct(alice, bob);
        Instant now = CLOCK.instant();
        YearMonth current = YearMonth.from(now.atZone(ZoneOffset.UTC));
        for (int back = 1; back <= 9; back++) {
            ensurePartition(current.minusMonths(back));
        }
        Instant cutoff = now.minus(Duration.ofDays(90));
        List<Instant> old = List.of(
                now.minus(Duration.ofDays(240)),
                now.minus(Duration.ofDays(200)),
                now.minus(Duration.ofDays(150)),
                cutoff.minus(Duration.ofHours(1)));
        for (Instant at : old) {
            insertOld(direct, bob.id(), "old message from " + at, at);
        }
        insertOld(direct, bob.id(), "recent enough", now.minus(Duration.ofDays(30)));
        chat.sendOk(bob, direct, "today");
        List<String> doomedMonths = new ArrayList<>();
        for (Instant at : old.subList(0, 3)) {
            doomedMonths.add(partitionOf(at));
        }

        MessageExpiry.Sweep sweep = expiry.run();
        assertThat(sweep.partitionsDropped()).isGreaterThanOrEqualTo(3);
        for (String month : doomedMonths) {
            assertThat(jdbc.sql("SELECT to_regclass(:n) IS NULL")
                            .param("n", month)
                            .query(Boolean.class)
                            .single())
                    .as(month)
                    .isTrue();
        }
        String history = chat.history(alice, direct).toString();
        assertThat(history)
                .doesNotContain("old message from")
                .contains("recent enough")
                .contains("today");
        assertThat(chat.unread(alice, direct)).isEqualTo(2);
        assertThat(jdbc.sql("SELECT count(*) FROM messages WHERE created_at < :c")
                        .param("c", Timestamp.from(cutoff))
                        .query(Long.class)
                        .single())
                .isZero();
    }

    private static String partitionOf(Instant at) {
        YearMonth month = YearMonth.from(at.atZone(ZoneOffset.UTC));
        return "messages_%04d_%02d".formatted(month.getYear(), month.getMonthValue());
    }

    private void ensurePartition(YearMonth month) {
        String name = "messages_%04d_%02d".formatted(month.getYear(), month.getMonthValue());
        if (jdbc.sql("SELECT to_regclass(:n) IS NOT NULL")
                .param("n", name)
                .query(Boolean.class)
                .single()) {
            return;
        }
        jdbc.sql("CREATE TABLE " + name + " PARTITION OF messages FOR VALUES FROM ('" + month.atDay(1)
                        + " 00:00:00+00') TO ('" + month.plusMonths(1).atDay(1) + " 00:00:00+00')")
                .update();
    }

    /** A message stored at a past time, as if sent then (the conversation's seq moves as a send's would). */
    private void insertOld(UUID conversation, UUID sender, String content, Instant at) {
        long seq = jdbc.sql("UPDATE conversations SET last_seq = last_seq + 1 WHERE conversation_id = :c "
                        + "RETURNING last_seq")
                .param("c", conversation)
                .query(Long.class)
                .single();
        jdbc.sql("""
                INSERT INTO messages (message_id, conversation_id, seq, sender_id, message_type, content, created_at)
                VALUES (:id, :c, :seq, :sender, 'text', :content, :at)""")
                .param("id", UUID.randomUUID())
                .param("c", conversation)
                .param("seq", seq)
                .param("sender", sender)
                .param("content", content)
                .param("at", Timestamp.from(at))
                .update();
    }

    private List<String> syncedMessageIds(TestClient.User user) {
        JsonNode sync =
                api.get("/api/v1/sync?limit=500", user.token()).expect(200).json();
        List<String> ids = new ArrayList<>();
        for (JsonNode event : sync.path("events")) {
            if ("message.new".equals(event.path("type").asString())) {
                ids.add(event.path("data").path("message").path("message_id").asString());
            }
        }
        return ids;
    }
}

package dev.parley.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.support.TestClient;
import dev.parley.support.WsClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The contract's rule of who is notified, observed at the FCM stand-in: each case has a member who must get the
 * push (the control), so that "nobody else got one" is checked once that push has gone out (the same log batch).
 */
class NotifyRuleTest extends PushTestContext {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private List<FcmStandIn.Request> awaitPushes(String token, int count) {
        return await().atMost(WAIT).until(() -> FCM.to(token), requests -> requests.size() >= count);
    }

    private JsonNode lastData(String token) {
        List<FcmStandIn.Request> requests = FCM.to(token);
        return requests.getLast().message().path("data");
    }

    @Test
    void offlineMembersAreNotifiedButNotTheSenderNorLiveOrMutedOrBlockingOnes() {
        TestClient.User owner = api.register("rule_owner");
        TestClient.User offline = api.register("rule_off");
        TestClient.User online = api.register("rule_on");
        TestClient.User muted = api.register("rule_mute");
        TestClient.User expired = api.register("rule_exp");
        TestClient.User blocking = api.register("rule_blk");
        UUID group = chat.group(owner, "Rule group", offline, online, muted, expired, blocking);
        String ownerPhone = token("own-");
        String offlinePhone = token("off-");
        String onlinePhone = token("on-");
        String mutedPhone = token("mute-");
        String expiredPhone = token("exp-");
        String blockingPhone = token("blk-");
        device(owner, "fcm", ownerPhone);
        device(offline, "fcm", offlinePhone);
        device(online, "fcm", onlinePhone);
        device(muted, "fcm", mutedPhone);
        device(expired, "fcm", expiredPhone);
        device(blocking, "fcm", blockingPhone);
        api.put("/api/v1/conversations/" + group + "/mute", muted.token(), Map.of("muted", true))
                .expect(200);
        Instant until = Instant.now().plusSeconds(2);
        api.put(
                        "/api/v1/conversations/" + group + "/mute",
                        expired.token(),
                        Map.of("muted", true, "until", until.toString()))
                .expect(200);
        chat.block(blocking, owner);
        try (WsClient socket = WsClient.connect(api, online)) {
            await().atMost(WAIT)
                    .until(() -> api.get("/api/v1/users/" + online.id() + "/presence", owner.token())
                            .json()
                            .path("status")
                            .asString()
                            .equals("online"));
            await().atMost(WAIT).until(() -> Instant.now().isAfter(until)); // the mute has ended
            UUID message = chat.sendOk(owner, group, "hello everyone");

            List<FcmStandIn.Request> got = awaitPushes(offlinePhone, 1);
            JsonNode data = got.getFirst().message().path("data");
            assertThat(data.path("type").asString()).isEqualTo("message.new");
            assertThat(data.path("conversation_id").asString()).isEqualTo(group.toString());
            assertThat(data.path("message_id").asString()).isEqualTo(message.toString());
            assertThat(data.path("seq").asString()).isNotBlank();
            assertThat(data.path("title").asString()).isEqualTo("Rule group");
            assertThat(data.path("body").asString()).isEqualTo("hello everyone");
            assertThat(data.path("badge").asString()).isEqualTo("1");
            assertThat(got.getFirst()
                            .message()
                            .path("android")
                            .path("collapse_key")
                            .asString())
                    .isEqualTo(group.toString().replace("-", ""));
            awaitPushes(expiredPhone, 1);

            assertThat(FCM.to(ownerPhone)).as("the sender's own devices").isEmpty();
            assertThat(FCM.to(onlinePhone)).as("a member with a live socket").isEmpty();
            assertThat(FCM.to(mutedPhone))
                    .as("a member who muted the conversation")
                    .isEmpty();
            assertThat(FCM.to(blockingPhone))
                    .as("a member who blocked the sender")
                    .isEmpty();
        }
    }

    @Test
    void systemMessagesNotifyNobody() {
        TestClient.User owner = api.register("rule_sys_o");
        TestClient.User member = api.register("rule_sys_m");
        UUID group = chat.group(owner, "Quiet", member);
        String phone = token("sys-");
        device(member, "fcm", phone);
        api.patch("/api/v1/conversations/" + group, owner.token(), Map.of("name", "Renamed"))
                .expect(200);
        chat.sendOk(owner, group, "after the rename");
        List<FcmStandIn.Request> got = awaitPushes(phone, 1);
        assertThat(got).hasSize(1);
        assertThat(got.getFirst().message().path("data").path("body").asString())
                .isEqualTo("after the rename");
        assertThat(got.getFirst().message().path("data").path("title").asString())
                .isEqualTo("Renamed");
    }

    @Test
    void theBadgeIsTheExactUnreadTotalOverUnmutedConversations() {
        TestClient.User me = api.register("badge_me");
        TestClient.User a = api.register("badge_a");
        TestClient.User b = api.register("badge_b");
        UUID withA = chat.direct(a, me);
        UUID withB = chat.direct(b, me);
        UUID mutedGroup = chat.group(b, "Muted", me);
        String phone = token("badge-");
        device(me, "fcm", phone);
        api.put("/api/v1/conversations/" + mutedGroup + "/mute", me.token(), Map.of("muted", true))
                .expect(200);

        UUID first = chat.sendOk(a, withA, "one");
        awaitPushes(phone, 1);
        assertThat(lastData(phone).path("badge").asString()).isEqualTo("1");
        // By previews, a direct conversation's title is the sender's display name.
        assertThat(lastData(phone).path("title").asString()).isEqualTo("badge_a person");

        chat.sendOk(b, mutedGroup, "muted: neither pushed nor counted");
        chat.sendOk(a, withA, "two");
        awaitPushes(phone, 2);
        assertThat(lastData(phone).path("badge").asString()).isEqualTo("2");

        api.put("/api/v1/messages/" + first + "/read", me.token(), null).expect(200);
        UUID deleted = chat.sendOk(b, withB, "to be deleted");
        awaitPushes(phone, 3);
        assertThat(lastData(phone).path("badge").asString()).isEqualTo("2"); // "two" and "to be deleted"

        api.delete("/api/v1/messages/" + deleted, b.token()).expect(204);
        chat.sendOk(b, withB, "three");
        awaitPushes(phone, 4);
        assertThat(lastData(phone).path("badge").asString()).isEqualTo("2"); // "two" and "three"
        assertThat(FCM.to(phone))
                .extracting(r -> r.message().path("data").path("body").asString())
                .doesNotContain("muted: neither pushed nor counted");
    }

    /** Another session of the same account: another device of theirs. */
    private TestClient.User signInAgain(TestClient.User user) {
        TestClient.Resp resp = api.post(
                        "/api/v1/auth/login", null, Map.of("username", user.username(), "password", "correct horse"))
                .expect(200);
        return new TestClient.User(user.id(), user.username(), resp.text("access_token"), resp.text("refresh_token"));
    }

    /**
     * One account signed in three times (phone, tablet, laptop), each session registering its own FCM device: that
     * is how Parley knows which push device read. {@code devices}: their ids, in that order.
     */
    private record Reader(
            TestClient.User phoneSession,
            TestClient.User tabletSession,
            TestClient.User laptopSession,
            String phone,
            String tablet,
            String laptop,
            List<UUID> devices) {}

    private Reader readerOnThreeDevices(String name) {
        TestClient.User phoneSession = api.register(name + "_me");
        TestClient.User tabletSession = signInAgain(phoneSession);
        TestClient.User laptopSession = signInAgain(phoneSession);
        String phone = token(name + "p-");
        String tablet = token(name + "t-");
        String laptop = token(name + "l-");
        List<UUID> devices = List.of(
                device(phoneSession, "fcm", phone),
                device(tabletSession, "fcm", tablet),
                device(laptopSession, "fcm", laptop));
        return new Reader(phoneSession, tabletSession, laptopSession, phone, tablet, laptop, devices);
    }

    private long readPushes(String token) {
        return FCM.to(token).stream()
                .filter(r -> r.message().path("data").path("type").asString().equals("conversation.read"))
                .count();
    }

    @Test
    void readingToTheEndClearsTheReadersOtherDevicesButNotTheOneThatRead() {
        Reader me = readerOnThreeDevices("read");
        TestClient.User phoneSession = me.phoneSession();
        TestClient.User tabletSession = me.tabletSession();
        String phone = me.phone();
        String tablet = me.tablet();
        String laptop = me.laptop();
        TestClient.User friend = api.register("read_fr");
        UUID direct = chat.direct(friend, phoneSession);
        UUID first = chat.sendOk(friend, direct, "first");
        UUID last = chat.sendOk(friend, direct, "last");
        awaitPushes(phone, 1);
        awaitPushes(tablet, 1);
        awaitPushes(laptop, 1);

        // Read on the phone (REST), first part then to the end: the tablet and laptop are told, the phone not.
        api.put("/api/v1/messages/" + first + "/read", phoneSession.token(), null)
                .expect(200);
        api.put("/api/v1/messages/" + last + "/read", phoneSession.token(), null)
                .expect(200);
        await().atMost(WAIT).until(() -> readPushes(tablet) == 1 && readPushes(laptop) == 1);
        JsonNode read = FCM.to(tablet).stream()
                .map(r -> r.message())
                .filter(m -> m.path("data").path("type").asString().equals("conversation.read"))
                .findFirst()
                .orElseThrow();
        assertThat(read.path("data").path("conversation_id").asString()).isEqualTo(direct.toString());
        assertThat(read.path("data").path("badge").asString()).isEqualTo("0");
        assertThat(read.has("notification")).as("data-only").isFalse();

        // Read on the tablet over its socket: now the phone and the laptop are told, the tablet not.
        UUID again = chat.sendOk(friend, direct, "again");
        awaitPushes(tablet, 3);
        try (WsClient socket = WsClient.connect(api, tabletSession)) {
            socket.send("message.read", Map.of("message_id", again.toString()));
            await().atMost(WAIT).until(() -> readPushes(phone) == 1 && readPushes(laptop) == 2);
        }
        // Exactly one read push each for the phone and tablet: neither was told of its own read.
        assertThat(readPushes(phone))
                .as("the phone, told only of the tablet's read")
                .isEqualTo(1);
        assertThat(readPushes(tablet))
                .as("the tablet, told only of the phone's read")
                .isEqualTo(1);
    }

    @Test
    void aReadOvertakenBeforeTheConsumerGotToItTellsNobody() throws Exception {
        Reader me = readerOnThreeDevices("over");
        String phone = me.phone();
        String tablet = me.tablet();
        String laptop = me.laptop();
        List<UUID> devices = me.devices();
        TestClient.User friend = api.register("over_fr");
        UUID direct = chat.direct(friend, me.phoneSession());
        UUID first = chat.sendOk(friend, direct, "first");
        UUID last = chat.sendOk(friend, direct, "last");
        for (String device : List.of(phone, tablet, laptop)) {
            await().atMost(WAIT).until(() -> ids(FCM.to(device), "message_id").contains(last.toString()));
        }
        // Both reads commit before the consumer reads either: by the time it handles the phone's read of "first",
        // the conversation is read to its end, but by the tablet's read, not the phone's.
        beforeTheConsumerReads(() -> {
            api.put("/api/v1/messages/" + first + "/read", me.phoneSession().token(), null)
                    .expect(200);
            api.put("/api/v1/messages/" + last + "/read", me.tabletSession().token(), null)
                    .expect(200);
            return null;
        });
        await().atMost(WAIT)
                .until(() -> readPushes(phone) == 1
                        && readPushes(laptop) == 1
                        && jdbc.sql("SELECT count(*) FROM push_queue WHERE device_id = ANY(:ids)")
                                        .param("ids", devices.toArray(UUID[]::new))
                                        .query(Long.class)
                                        .single()
                                == 0);
        assertThat(readPushes(tablet))
                .as("the tablet read to the end; the phone's read was not")
                .isZero();
        assertThat(readPushes(laptop)).isEqualTo(1);
    }

    @Test
    void previewsDecideWhatTheNotificationShows() {
        TestClient.User owner = api.register("prev_o");
        TestClient.User full = api.register("prev_f");
        TestClient.User sender = api.register("prev_s");
        TestClient.User none = api.register("prev_n");
        UUID group = chat.group(owner, "Previews", full, sender, none);
        String fullPhone = token("pf-");
        String senderPhone = token("ps-");
        String nonePhone = token("pn-");
        device(full, "fcm", fullPhone);
        device(sender, "fcm", senderPhone);
        device(none, "fcm", nonePhone);
        api.put("/api/v1/users/me/notification-settings", sender.token(), Map.of("previews", "sender"))
                .expect(200);
        api.put("/api/v1/users/me/notification-settings", none.token(), Map.of("previews", "none"))
                .expect(200);
        String text = "x".repeat(150);
        chat.sendOk(owner, group, text);
        awaitPushes(fullPhone, 1);
        awaitPushes(senderPhone, 1);
        awaitPushes(nonePhone, 1);
        assertThat(lastData(fullPhone).path("body").asString()).isEqualTo("x".repeat(100));
        assertThat(lastData(senderPhone).path("title").asString()).isEqualTo("Previews");
        assertThat(lastData(senderPhone).has("body")).isFalse();
        assertThat(lastData(nonePhone).has("title")).isFalse();
        assertThat(lastData(nonePhone).has("body")).isFalse();
        assertThat(lastData(nonePhone).path("message_id").asString()).isNotBlank();
    }

    @Test
    void anEncryptedConversationsPushCarriesNoBody() {
        TestClient.User alice = api.register("e2ee_push_a");
        TestClient.User bob = api.register("e2ee_push_b");
        UUID direct = UUID.fromString(api.post(
                        "/api/v1/conversations",
                        alice.token(),
                        Map.of(
                                "type",
                                "direct",
                                "participant_ids",
                                List.of(bob.id().toString()),
                                "e2ee",
                                true))
                .json()
                .path("conversation_id")
                .asString());
        String phone = token("e2ee-");
        device(bob, "fcm", phone);
        String ciphertext = Base64.getEncoder().encodeToString("sealed for bob".getBytes(StandardCharsets.UTF_8));
        chat.sendOk(alice, direct, ciphertext);
        awaitPushes(phone, 1);
        assertThat(lastData(phone).has("body")).as("no preview of a ciphertext").isFalse();
        assertThat(lastData(phone).path("title").asString())
                .as("the sender, by previews")
                .isNotBlank();
        assertThat(lastData(phone).path("message_id").asString()).isNotBlank();
    }

    /** The webhook's notification.requested events for one message: the users they name. */
    private static List<String> notified(UUID message) {
        List<String> users = new ArrayList<>();
        for (WebhookReceiver.Request request : WEBHOOK.accepted()) {
            TestClient.JSON.readTree(request.body()).path("events").forEach(event -> {
                JsonNode data = event.path("data");
                if (event.path("type").asString().equals("notification.requested")
                        && data.path("message_id").asString().equals(message.toString())) {
                    users.add(data.path("user_id").asString());
                }
            });
        }
        return users;
    }

    /**
     * A request waiting for its recipient (contact policy {@code requests}) is no membership: no push and no webhook
     * {@code notification.requested} for them until they accept. This context runs the default open policy, so the
     * invitation is written as the requests policy writes one: the invitee's participant row marked pending.
     */
    @Test
    void aPendingRecipientIsNeitherPushedNorNotifiedUntilTheyAccept() {
        TestClient.User owner = api.register("pend_o");
        TestClient.User member = api.register("pend_m");
        TestClient.User invitee = api.register("pend_i");
        UUID group = chat.group(owner, "Pending", member, invitee);
        jdbc.sql("""
                UPDATE conversation_participants SET request_state = 'pending', requested_by = :owner
                WHERE conversation_id = :cid AND user_id = :user""")
                .param("owner", owner.id())
                .param("cid", group)
                .param("user", invitee.id())
                .update();
        String memberPhone = token("pm-");
        String inviteePhone = token("pi-");
        device(member, "fcm", memberPhone);
        device(invitee, "fcm", inviteePhone);

        UUID before = chat.sendOk(owner, group, "before accepting");
        awaitPushes(memberPhone, 1);
        await().atMost(WAIT).until(() -> notified(before).contains(member.id().toString()));
        assertThat(FCM.to(inviteePhone)).as("no push for a pending recipient").isEmpty();
        assertThat(notified(before))
                .as("no notification.requested either")
                .containsExactly(member.id().toString());

        api.post("/api/v1/conversations/" + group + "/accept", invitee.token(), null)
                .expect(200);
        UUID after = chat.sendOk(owner, group, "after accepting");
        awaitPushes(inviteePhone, 1);
        assertThat(lastData(inviteePhone).path("message_id").asString()).isEqualTo(after.toString());
        await().atMost(WAIT).until(() -> notified(after).contains(invitee.id().toString()));
    }
}

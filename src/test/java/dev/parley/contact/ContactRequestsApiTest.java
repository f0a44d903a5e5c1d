package dev.parley.contact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.attachment.Uploads;
import dev.parley.attachment.image.TestImages;
import dev.parley.support.Chat;
import dev.parley.support.SseClient;
import dev.parley.support.TestClient;
import dev.parley.support.WsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The contact policy {@code requests}, through the public API and the socket: what a stranger starts waits in the
 * recipient's requests folder, and until it is accepted nothing of the recipient reaches the requester and nothing
 * of the requester reaches the recipient outside the request (sync, search, socket, push rule).
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "parley.data-dir=target/test-data/shared",
            "parley.contacts.policy=requests",
            "parley.limits.requests-per-hour=5"
        })
@ActiveProfiles("test")
class ContactRequestsApiTest {

    private static final String CONVERSATIONS = "/api/v1/conversations";

    @LocalServerPort
    private int port;

    private TestClient api;
    private Chat chat;

    @BeforeEach
    void client() {
        api = new TestClient("http://127.0.0.1:" + port);
        chat = new Chat(api);
    }

    private TestClient.Resp createDirect(TestClient.User from, TestClient.User to) {
        return api.post(
                CONVERSATIONS,
                from.token(),
                Map.of("type", "direct", "participant_ids", List.of(to.id().toString())));
    }

    private JsonNode folder(TestClient.User user, String folder) {
        return api.get(CONVERSATIONS + "?folder=" + folder, user.token())
                .expect(200)
                .json();
    }

    private List<String> ids(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.path("conversations")
                .forEach(c -> out.add(c.path("conversation_id").asString()));
        return out;
    }

    private void befriend(TestClient.User a, TestClient.User b) {
        api.post("/api/v1/users/" + b.id() + "/contact", a.token(), null).expect(200);
        assertThat(api.post("/api/v1/users/" + a.id() + "/contact", b.token(), null)
                        .expect(200)
                        .text("status"))
                .isEqualTo("accepted");
    }

    /** The events of the user's catch-up log that belong to the conversation. */
    private List<JsonNode> synced(TestClient.User user, UUID conversation) {
        List<JsonNode> out = new ArrayList<>();
        api.get("/api/v1/sync?limit=500", user.token())
                .expect(200)
                .json()
                .path("events")
                .forEach(e -> {
                    if (e.toString().contains(conversation.toString())) {
                        out.add(e);
                    }
                });
        return out;
    }

    /** The requester's view, less what changes with every message (time, preview, seq). */
    private JsonNode requesterView(TestClient.User requester, UUID conversation) {
        ObjectNode view = (ObjectNode) chat.conversation(requester, conversation);
        view.remove(List.of("updated_at", "last_message_at", "last_message", "last_seq"));
        return view;
    }

    @Test
    void aStrangersDirectChatWaitsAsARequestAndNothingLeaksUntilItIsAccepted() {
        TestClient.User requester = api.register("req_from");
        TestClient.User recipient = api.register("req_to");
        try (WsClient requesterSocket = WsClient.connect(api, requester);
                WsClient recipientSocket = WsClient.connect(api, recipient)) {
            UUID id = createDirect(requester, recipient).expect(201).id("conversation_id");
            UUID first = chat.sendOk(requester, id, "hello stranger zebrafish");
            chat.sendOk(requester, id, "are you there");

            // The requester sees an ordinary direct conversation with both people in it.
            JsonNode mine = chat.conversation(requester, id);
            assertThat(mine.path("is_request").asBoolean()).isFalse();
            assertThat(mine.path("participants").size()).isEqualTo(2);
            // The recipient: not in the inbox, in the requests folder, counted apart.
            assertThat(ids(folder(recipient, "inbox"))).doesNotContain(id.toString());
            JsonNode requests = folder(recipient, "requests");
            assertThat(ids(requests)).containsExactly(id.toString());
            assertThat(requests.path("requests").path("count").asLong()).isEqualTo(1);
            assertThat(requests.path("requests").path("unread_count").asLong()).isEqualTo(2);
            assertThat(requests.path("conversations").get(0).path("is_request").asBoolean())
                    .isTrue();
            assertThat(chat.conversation(recipient, id).path("is_request").asBoolean())
                    .isTrue();
            // The requester's messages are readable in the request, and only there.
            assertThat(chat.history(recipient, id)).hasSize(2);
            api.get("/api/v1/messages/" + first, recipient.token()).expectError(404, "MESSAGE_NOT_FOUND");
            assertThat(synced(recipient, id)).isEmpty();
            Chat.eventually(
                    () -> assertThat(chat.search(requester, null, "zebrafish")).hasSize(1));
            assertThat(chat.search(recipient, null, "zebrafish")).isEmpty();
            assertThat(recipientSocket.received("message.new")).isEmpty();

            // Nothing of the recipient flows back: receipts, typing, reactions, presence all refused.
            api.put("/api/v1/messages/" + first + "/read", recipient.token(), null)
                    .expectError(404, "MESSAGE_NOT_FOUND");
            api.post(CONVERSATIONS + "/" + id + "/typing", recipient.token(), null)
                    .expectError(404, "CONVERSATION_NOT_FOUND");
            api.post("/api/v1/messages/" + first + "/reactions", recipient.token(), Map.of("emoji", "👍"))
                    .expectError(404, "MESSAGE_NOT_FOUND");
            recipientSocket.send("typing.start", Map.of("conversation_id", id.toString()));
            recipientSocket.send("message.read", Map.of("message_id", first.toString()));
            api.get("/api/v1/users/" + recipient.id() + "/presence", requester.token())
                    .expectError(403, "FORBIDDEN");
            api.post(
                            CONVERSATIONS + "/" + id + "/messages",
                            recipient.token(),
                            Map.of("type", "text", "content", "a reply before accepting"))
                    .expectError(404, "CONVERSATION_NOT_FOUND");
            recipientSocket.await("error");
            assertThat(synced(requester, id))
                    .as("the requester's catch-up log holds their own messages only")
                    .isNotEmpty()
                    .allMatch(e -> e.path("type").asString().equals("message.new")
                            && e.path("data")
                                    .path("message")
                                    .path("sender_id")
                                    .asString()
                                    .equals(requester.id().toString()));
            assertThat(requesterSocket.received("typing.indicator")).isEmpty();
            assertThat(requesterSocket.received("receipt.updated")).isEmpty();
            assertThat(requesterSocket.received("presence.updated")).isEmpty();

            // Accepted: an ordinary conversation with its history, unread, in sync; receipts flow again.
            JsonNode accepted = api.post(CONVERSATIONS + "/" + id + "/accept", recipient.token(), null)
                    .expect(200)
                    .json();
            assertThat(accepted.path("is_request").asBoolean()).isFalse();
            assertThat(accepted.path("unread_count").asLong()).isEqualTo(2);
            assertThat(ids(folder(recipient, "inbox"))).contains(id.toString());
            assertThat(folder(recipient, "requests")
                            .path("requests")
                            .path("count")
                            .asLong())
                    .isZero();
            assertThat(synced(recipient, id)).isNotEmpty();
            Chat.eventually(
                    () -> assertThat(chat.search(recipient, null, "zebrafish")).hasSize(1));
            chat.sendOk(requester, id, "thanks for accepting");
            recipientSocket.await("message.new", d -> d.toString().contains("thanks for accepting"));
            api.put("/api/v1/messages/" + first + "/read", recipient.token(), null)
                    .expect(200);
            requesterSocket.await("receipt.updated");
        }
    }

    /** Whether a {@code request.updated} frame's data names the conversation with exactly these counts. */
    private static Predicate<JsonNode> notice(UUID conversation, long count, long unread) {
        return d -> d.path("conversation_id").asString().equals(conversation.toString())
                && d.path("requests").path("count").asLong() == count
                && d.path("requests").path("unread_count").asLong() == unread;
    }

    @Test
    void theRecipientsDevicesAreToldLiveOfARequestAndTheRequesterLearnsNothing() {
        TestClient.User requester = api.register("live_from");
        TestClient.User recipient = api.register("live_to");
        TestClient.User inviter = api.register("live_inviter");
        try (WsClient requesterSocket = WsClient.connect(api, requester);
                WsClient phone = WsClient.connect(api, recipient);
                WsClient laptop = WsClient.connect(api, recipient)) {
            UUID id = createDirect(requester, recipient).expect(201).id("conversation_id");
            phone.await("request.updated", notice(id, 1, 0));
            laptop.await("request.updated", notice(id, 1, 0));
            chat.sendOk(requester, id, "first words");
            phone.await("request.updated", notice(id, 1, 1));
            chat.sendOk(requester, id, "second words");
            phone.await("request.updated", notice(id, 1, 2));
            // The same counts as the list, frame for frame: no notice claims more than the folder holds.
            assertThat(folder(recipient, "requests").path("requests").toString())
                    .isEqualTo(phone.received("request.updated")
                            .getLast()
                            .path("requests")
                            .toString());
            assertThat(phone.received("message.new")).isEmpty();

            // A group invitation is a request too; answering one tells the recipient's other devices.
            UUID group = chat.group(inviter, "Invite", recipient);
            laptop.await("request.updated", notice(group, 2, 2));
            api.post(CONVERSATIONS + "/" + id + "/accept", recipient.token(), null)
                    .expect(200);
            laptop.await("request.updated", notice(id, 1, 0));
            api.post(CONVERSATIONS + "/" + group + "/decline", recipient.token(), null)
                    .expect(204);
            laptop.await("request.updated", notice(group, 0, 0));

            // The requester's socket: a marker of their own, delivered after everything above, and no notice.
            UUID own = chat.group(requester, "Mine");
            chat.sendOk(requester, own, "marker");
            requesterSocket.await("message.new", d -> d.toString().contains("marker"));
            assertThat(requesterSocket.received("request.updated")).isEmpty();
        }
    }

    @Test
    void aDeclinedRequestLooksExactlyLikeAnUnansweredOneToItsSender() {
        TestClient.User requester = api.register("dec_from");
        TestClient.User pending = api.register("dec_wait");
        TestClient.User declining = api.register("dec_no");
        UUID waits = createDirect(requester, pending).expect(201).id("conversation_id");
        UUID declined = createDirect(requester, declining).expect(201).id("conversation_id");
        chat.sendOk(requester, waits, "hi");
        chat.sendOk(requester, declined, "hi");
        JsonNode before = requesterView(requester, declined);

        try (WsClient requesterSocket = WsClient.connect(api, requester)) {
            api.post(CONVERSATIONS + "/" + declined + "/decline", declining.token(), null)
                    .expect(204);
            // Same answers, same shape: the conversation, its participants, sends, reopening.
            assertThat(requesterView(requester, declined)).isEqualTo(before);
            for (UUID id : List.of(waits, declined)) {
                chat.sendOk(requester, id, "still there?");
                assertThat(createDirect(requester, id.equals(waits) ? pending : declining)
                                .status())
                        .isEqualTo(200);
                api.get(CONVERSATIONS + "/" + id + "/participants", requester.token())
                        .expect(200);
            }
            assertThat(requesterView(requester, declined).path("participants").size())
                    .isEqualTo(
                            requesterView(requester, waits).path("participants").size())
                    .isEqualTo(2);
            chat.sendOk(requester, waits, "marker");
            requesterSocket.await("message.new", d -> d.toString().contains("marker"));
            assertThat(requesterSocket.frames().stream()
                            .map(f -> f.path("type").asString())
                            .distinct())
                    .as("the requester's own messages, and nothing of the recipients")
                    .containsExactly("message.new");
        }
        // The decliner no longer sees it; answering again finds nothing.
        assertThat(ids(folder(declining, "requests"))).doesNotContain(declined.toString());
        api.get(CONVERSATIONS + "/" + declined, declining.token()).expectError(404, "CONVERSATION_NOT_FOUND");
        api.post(CONVERSATIONS + "/" + declined + "/accept", declining.token(), null)
                .expectError(404, "CONVERSATION_NOT_FOUND");
        // Opening the chat themselves later makes it theirs, with everything the requester wrote.
        assertThat(createDirect(declining, requester).expect(200).id("conversation_id"))
                .isEqualTo(declined);
        assertThat(chat.history(declining, declined)).hasSize(2);
    }

    @Test
    void declineAndBlockBlocksTheRequester() {
        TestClient.User requester = api.register("blk_from");
        TestClient.User recipient = api.register("blk_to");
        UUID id = createDirect(requester, recipient).expect(201).id("conversation_id");
        api.post(CONVERSATIONS + "/" + id + "/decline", recipient.token(), Map.of("block", true))
                .expect(204);
        assertThat(api.get("/api/v1/users/me/blocks", recipient.token())
                        .expect(200)
                        .json()
                        .path("users")
                        .toString())
                .contains(requester.id().toString());
    }

    @Test
    void acceptAndDeclineFromTwoDevicesAtOnceSettleOnOneAnswer() throws Exception {
        for (int round = 0; round < 3; round++) {
            TestClient.User requester = api.register("race_from");
            TestClient.User recipient = api.register("race_to");
            UUID id = createDirect(requester, recipient).expect(201).id("conversation_id");
            List<Callable<TestClient.Resp>> calls = List.of(
                    () -> api.post(CONVERSATIONS + "/" + id + "/accept", recipient.token(), null),
                    () -> api.post(CONVERSATIONS + "/" + id + "/decline", recipient.token(), null));
            List<TestClient.Resp> answers = Chat.inParallel(calls);
            int accept = answers.get(0).status();
            int decline = answers.get(1).status();
            assertThat(List.of(accept, decline))
                    .as("one wins, the other finds no request")
                    .containsAnyOf(200, 204);
            if (accept == 200) {
                assertThat(decline).isEqualTo(404);
                assertThat(chat.conversation(recipient, id).path("is_request").asBoolean())
                        .isFalse();
            } else {
                assertThat(accept).isEqualTo(404);
                api.get(CONVERSATIONS + "/" + id, recipient.token()).expectError(404, "CONVERSATION_NOT_FOUND");
            }
            // Two accepts at once: both answer the conversation.
            TestClient.User other = api.register("race_two");
            UUID second = createDirect(requester, other).expect(201).id("conversation_id");
            List<TestClient.Resp> both = Chat.inParallel(List.of(
                    () -> api.post(CONVERSATIONS + "/" + second + "/accept", other.token(), null),
                    () -> api.post(CONVERSATIONS + "/" + second + "/accept", other.token(), null)));
            assertThat(both).allMatch(r -> r.status() == 200);
        }
    }

    @Test
    void contactsTalkAtOnceAndStrangersAreInvitedToGroups() {
        TestClient.User owner = api.register("grp_owner");
        TestClient.User friend = api.register("grp_friend");
        TestClient.User stranger = api.register("grp_stranger");
        TestClient.User late = api.register("grp_late");
        befriend(owner, friend);
        UUID direct = createDirect(owner, friend).expect(201).id("conversation_id");
        assertThat(chat.conversation(friend, direct).path("is_request").asBoolean())
                .isFalse();
        assertThat(ids(folder(friend, "inbox"))).contains(direct.toString());

        UUID group = chat.group(owner, "Mixed", friend, stranger);
        chat.sendOk(owner, group, "before the stranger joins");
        List<String> members = new ArrayList<>();
        chat.conversation(owner, group)
                .path("participants")
                .forEach(p -> members.add(p.path("user").path("user_id").asString()));
        assertThat(members)
                .containsExactlyInAnyOrder(owner.id().toString(), friend.id().toString());
        assertThat(ids(folder(stranger, "requests"))).containsExactly(group.toString());
        // An invitation shows the group, not its history.
        api.get(CONVERSATIONS + "/" + group + "/messages", stranger.token()).expectError(404, "CONVERSATION_NOT_FOUND");
        api.post(CONVERSATIONS + "/" + group + "/participants", owner.token(), Map.of("user_ids", List.of(late.id())))
                .expect(200);
        assertThat(ids(folder(late, "requests"))).containsExactly(group.toString());

        api.post(CONVERSATIONS + "/" + group + "/accept", stranger.token(), null)
                .expect(200);
        List<JsonNode> added = chat.systemMessages(owner, group, "member_added");
        assertThat(added).hasSize(1);
        assertThat(added.getFirst().path("metadata").path("target_id").asString())
                .isEqualTo(stranger.id().toString());
        assertThat(added.getFirst().path("metadata").path("actor_id").asString())
                .isEqualTo(owner.id().toString());
        assertThat(chat.unread(stranger, group)).isZero();
        chat.sendOk(stranger, group, "hello all");

        api.post(CONVERSATIONS + "/" + group + "/decline", late.token(), null).expect(204);
        assertThat(chat.conversation(owner, group).path("participant_count").asLong())
                .isEqualTo(3);
        // Declined, the invitation can be sent again.
        api.post(CONVERSATIONS + "/" + group + "/participants", owner.token(), Map.of("user_ids", List.of(late.id())))
                .expect(200);
        assertThat(ids(folder(late, "requests"))).containsExactly(group.toString());
    }

    @Test
    void requestsToStrangersAreLimitedPerHour() {
        TestClient.User spammer = api.register("spam_from");
        for (int i = 0; i < 4; i++) {
            createDirect(spammer, api.register("spam_to")).expect(201);
        }
        api.post("/api/v1/users/" + api.register("spam_c").id() + "/contact", spammer.token(), null)
                .expect(200);
        TestClient.User spared = api.register("spam_no");
        TestClient.Resp refused = createDirect(spammer, spared).expectError(429, "RATE_LIMIT_EXCEEDED");
        assertThat(refused.json().path("details").path("limit").asString()).isEqualTo("contact_request");
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(folder(spared, "requests").path("requests").path("count").asLong())
                .isZero();
        TestClient.User friend = api.register("spam_fr");
        api.post("/api/v1/users/" + spammer.id() + "/contact", friend.token(), null)
                .expect(200);
        api.post("/api/v1/users/" + friend.id() + "/contact", spammer.token(), null)
                .expect(200)
                .text("status");
        createDirect(spammer, friend).expect(201);
    }

    @Test
    void theEventStreamCarriesOnlyTheFolderNoticeOfARequestUntilItIsAccepted() throws Exception {
        TestClient.User requester = api.register("sse_from");
        TestClient.User recipient = api.register("sse_to");
        try (SseClient requesterStream = SseClient.open(api, requester, null);
                SseClient stream = SseClient.open(api, recipient, null)) {
            UUID id = createDirect(requester, recipient).expect(201).id("conversation_id");
            await(() -> stream.received("request.updated").stream().anyMatch(notice(id, 1, 0)));
            chat.sendOk(requester, id, "over the event stream");
            await(() -> stream.received("request.updated").stream().anyMatch(notice(id, 1, 1)));
            // A marker in the recipient's own group: logged after the request's message, so streamed after it.
            UUID own = chat.group(recipient, "Mine");
            chat.sendOk(recipient, own, "marker");
            await(() ->
                    stream.received.stream().anyMatch(r -> r.event().toString().contains("marker")));
            // Of the request, the live notices alone: no logged event, and no SSE id, so Last-Event-ID stays a
            // cursor of the log.
            assertThat(stream.received)
                    .filteredOn(r -> r.event().toString().contains(id.toString()))
                    .allSatisfy(r -> {
                        assertThat(r.event().path("type").asString()).isEqualTo("request.updated");
                        assertThat(r.id()).isNull();
                        assertThat(r.event().has("event_id")).isFalse();
                    });
            // The requester's stream: their own message, and no notice.
            await(() -> !requesterStream.received("message.new").isEmpty());
            assertThat(requesterStream.received("request.updated")).isEmpty();

            api.post(CONVERSATIONS + "/" + id + "/accept", recipient.token(), null)
                    .expect(200);
            await(() -> stream.received("request.updated").stream().anyMatch(notice(id, 0, 0)));
            chat.sendOk(requester, id, "after accepting");
            await(() ->
                    stream.received.stream().anyMatch(r -> r.event().toString().contains("after accepting")));
        }
    }

    private static void await(Callable<Boolean> condition) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(condition);
    }

    @Test
    void aRequestsImageIsNoSideDoorAndReactionsWaitForAcceptance() {
        TestClient.User requester = api.register("img_from");
        TestClient.User recipient = api.register("img_to");
        UUID id = createDirect(requester, recipient).expect(201).id("conversation_id");
        Uploads uploads = new Uploads(api);
        String attachment = uploads.upload(
                        requester, "photo.png", "image/png", TestImages.png(TestImages.photo(64, 48, 7)))
                .path("attachment_id")
                .asString();
        UUID message = uploads.sendImage(requester, id, attachment, "a photo", null)
                .expect(201)
                .id("message_id");
        api.get("/api/v1/messages/attachments/" + attachment, recipient.token())
                .expectError(404, "ATTACHMENT_NOT_FOUND");
        api.post("/api/v1/messages/" + message + "/reactions", recipient.token(), Map.of("emoji", "👍"))
                .expectError(404, "MESSAGE_NOT_FOUND");
        assertThat(chat.history(recipient, id)).hasSize(1);

        api.post(CONVERSATIONS + "/" + id + "/accept", recipient.token(), null).expect(200);
        api.get("/api/v1/messages/attachments/" + attachment, recipient.token()).expect(200);
        api.post("/api/v1/messages/" + message + "/reactions", recipient.token(), Map.of("emoji", "👍"))
                .expect(201);
    }

    @Test
    void theFolderIsValidated() {
        TestClient.User user = api.register("folder_v");
        api.get(CONVERSATIONS + "?folder=spam", user.token()).expectError(400, "VALIDATION_FAILED");
    }
}

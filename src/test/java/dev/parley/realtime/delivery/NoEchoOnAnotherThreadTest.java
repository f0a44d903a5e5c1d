package dev.parley.realtime.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.message.MessageSent;
import dev.parley.presence.TypingChanged;
import dev.parley.receipt.ReceiptUpdated;
import dev.parley.support.ApiTest;
import dev.parley.support.TestClient;
import dev.parley.support.WsClient;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.ApplicationEventMulticaster;
import org.springframework.context.event.ApplicationListenerMethodAdapter;
import org.springframework.context.event.SimpleApplicationEventMulticaster;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.JsonNode;

/**
 * The device whose frame caused an event gets its answer and no echo of the event, while the user's other device
 * and the other members get it, even when {@link EventRelay} runs on another thread than the request (here every
 * one of its listeners is handed to a thread of its own, after commit where there is a transaction): the origin
 * travels on the event, not with the thread. Sends, typing and reads over the socket; the same changes over REST
 * reach every device, the one that made them too.
 */
class NoEchoOnAnotherThreadTest extends ApiTest {

    /** The payload types whose relay ran on the relay thread, to show the test tested what it claims. */
    private static final Set<Class<?>> RELAYED_ELSEWHERE = ConcurrentHashMap.newKeySet();

    @Test
    void theSendingDeviceGetsItsAckButNoEchoWhileTheUsersOtherDeviceGetsTheEvent() {
        TestClient.User alice = api.register("noecho");
        TestClient.User bob = api.register("noecho");
        UUID conversation = chat.direct(alice, bob);
        String cid = conversation.toString();
        try (WsClient phone = WsClient.connect(api, alice);
                WsClient laptop = WsClient.connect(api, alice);
                WsClient bobPhone = WsClient.connect(api, bob)) {
            phone.send(
                    "message.send",
                    Map.of(
                            "conversation_id",
                            cid,
                            "type",
                            "text",
                            "content",
                            "from the phone",
                            "client_message_id",
                            "noecho-1"));
            String sent = phone.await("message.ack")
                    .path("message")
                    .path("message_id")
                    .asString();
            for (WsClient device : List.of(laptop, bobPhone)) {
                device.await(
                        "message.new",
                        m -> m.path("message").path("message_id").asString().equals(sent));
            }
            // A REST send has no origin: every device gets it, the phone too. Relays run one at a time in order
            // and each socket writes in order, so an echo of the first would have arrived before this one.
            UUID overRest = chat.sendOk(alice, conversation, "over REST");
            phone.await(
                    "message.new",
                    m -> m.path("message").path("message_id").asString().equals(overRest.toString()));
            assertThat(phone.received("message.new"))
                    .extracting(m -> m.path("message").path("message_id").asString())
                    .containsExactly(overRest.toString());

            phone.send("typing.start", Map.of("conversation_id", cid));
            laptop.await("typing.indicator", t -> t.path("is_typing").asBoolean());
            bobPhone.await("typing.indicator", t -> t.path("is_typing").asBoolean());
            api.delete("/api/v1/conversations/" + conversation + "/typing", alice.token())
                    .expect(204);
            phone.await("typing.indicator", t -> !t.path("is_typing").asBoolean());
            assertThat(phone.received("typing.indicator")).hasSize(1);

            UUID fromBob = chat.sendOk(bob, conversation, "read me");
            phone.await(
                    "message.new",
                    m -> m.path("message").path("message_id").asString().equals(fromBob.toString()));
            phone.send("message.read", Map.of("message_id", fromBob.toString()));
            JsonNode read = laptop.await("receipt.updated");
            bobPhone.await("receipt.updated");
            assertThat(read.has("origin"))
                    .as("the frame never shows the origin: %s", read)
                    .isFalse();
            UUID later = chat.sendOk(bob, conversation, "and me");
            api.put("/api/v1/messages/" + later + "/read", alice.token(), null).expect(200);
            laptop.await(
                    "receipt.updated", r -> laptop.received("receipt.updated").size() == 2);
            JsonNode restRead = phone.await("receipt.updated");
            assertThat(phone.received("receipt.updated")).containsExactly(restRead);
            assertThat(restRead.path("last_read_seq").asLong())
                    .isEqualTo(read.path("last_read_seq").asLong() + 1);
        }
        // Nor does the catch-up log, whose receipt events are the same data.
        JsonNode sync = api.get("/api/v1/sync", alice.token()).expect(200).json();
        List<JsonNode> receipts = sync.path("events")
                .valueStream()
                .filter(e -> "receipt.updated".equals(e.path("type").asString()))
                .toList();
        assertThat(receipts)
                .isNotEmpty()
                .allSatisfy(e -> assertThat(e.path("data").has("origin")).isFalse());
        assertThat(RELAYED_ELSEWHERE).contains(MessageSent.class, TypingChanged.class, ReceiptUpdated.class);
    }

    /**
     * Runs {@link EventRelay}'s listeners on a thread of their own, one at a time: at once for an event published
     * outside a transaction, after commit for one published inside, as {@code @TransactionalEventListener} does.
     */
    @TestConfiguration(proxyBeanMethods = false)
    static class RelayOnAnotherThread {

        @Bean(AbstractApplicationContext.APPLICATION_EVENT_MULTICASTER_BEAN_NAME)
        static ApplicationEventMulticaster applicationEventMulticaster(BeanFactory beans) {
            ExecutorService relayThread = Executors.newSingleThreadExecutor(r -> {
                Thread thread = new Thread(r, "relay-elsewhere");
                thread.setDaemon(true);
                return thread;
            });
            return new SimpleApplicationEventMulticaster(beans) {
                @Override
                protected void invokeListener(ApplicationListener<?> listener, ApplicationEvent event) {
                    if (!(listener instanceof ApplicationListenerMethodAdapter adapter)
                            || !adapter.getListenerId().startsWith(EventRelay.class.getName() + ".")) {
                        super.invokeListener(listener, event);
                        return;
                    }
                    Runnable elsewhere = () -> relayThread.execute(() -> {
                        if (event instanceof PayloadApplicationEvent<?> payload) {
                            RELAYED_ELSEWHERE.add(payload.getPayload().getClass());
                        }
                        adapter.processEvent(event);
                    });
                    if (TransactionSynchronizationManager.isSynchronizationActive()) {
                        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                            @Override
                            public void afterCommit() {
                                elsewhere.run();
                            }
                        });
                    } else {
                        elsewhere.run();
                    }
                }
            };
        }
    }
}

package dev.parley.message;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.support.ApiTest;
import dev.parley.support.TestClient;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class SendConcurrencyTest extends ApiTest {

    @Test
    void twentyConcurrentSendersGetSeqOneToNWithoutGapOrDuplicate() throws Exception {
        TestClient.User owner = api.register("own");
        List<TestClient.User> senders = new ArrayList<>();
        for (int i = 0; i < 19; i++) {
            senders.add(api.register("snd"));
        }
        UUID group = chat.group(owner, "race", senders.toArray(TestClient.User[]::new));
        senders.add(owner);
        long before = api.get("/api/v1/conversations/" + group, owner.token())
                .json()
                .path("last_seq")
                .asLong();

        int perSender = 10;
        ConcurrentLinkedQueue<Long> acknowledged = new ConcurrentLinkedQueue<>();
        runTogether(senders.size(), i -> {
            for (int n = 0; n < perSender; n++) {
                var resp = chat.send(senders.get(i), group, "m" + i + "-" + n).expect(201);
                acknowledged.add(resp.json().path("seq").asLong());
            }
            return null;
        });

        int total = senders.size() * perSender;
        List<Long> expected =
                LongStream.rangeClosed(before + 1, before + total).boxed().toList();
        assertThat(acknowledged).hasSize(total).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
        // History agrees with the acknowledgements: every seq exactly once, in order.
        List<Long> stored = new ArrayList<>();
        String path = "/api/v1/conversations/" + group + "/messages?limit=100";
        JsonNode page = api.get(path, owner.token()).expect(200).json();
        while (true) {
            page.path("messages").forEach(m -> stored.add(m.path("seq").asLong()));
            if (!page.path("has_more").asBoolean()) {
                break;
            }
            String last = page.path("messages")
                    .get(page.path("messages").size() - 1)
                    .path("message_id")
                    .asString();
            page = api.get(path + "&before_id=" + last, owner.token())
                    .expect(200)
                    .json();
        }
        List<Long> all =
                LongStream.rangeClosed(1, before + total).boxed().toList().reversed();
        assertThat(stored).containsExactlyElementsOf(all);
    }

    @Test
    void concurrentRetriesWithOneClientMessageIdStoreOneMessage() throws Exception {
        TestClient.User alice = api.register("idem");
        TestClient.User bob = api.register("idem");
        UUID conversation = chat.direct(alice, bob);
        String key = "retry-" + UUID.randomUUID();
        Map<String, Object> body = Map.of("type", "text", "content", "only once", "client_message_id", key);

        ConcurrentLinkedQueue<TestClient.Resp> responses = new ConcurrentLinkedQueue<>();
        runTogether(16, i -> {
            responses.add(api.post("/api/v1/conversations/" + conversation + "/messages", alice.token(), body));
            return null;
        });

        Set<String> ids = new HashSet<>();
        long created = 0;
        for (TestClient.Resp resp : responses) {
            assertThat(resp.status()).isIn(200, 201);
            created += resp.status() == 201 ? 1 : 0;
            ids.add(resp.text("message_id"));
        }
        assertThat(created).isEqualTo(1);
        assertThat(ids).hasSize(1);
        // A later retry also returns the original, with 200.
        var later = api.post("/api/v1/conversations/" + conversation + "/messages", alice.token(), body)
                .expect(200);
        assertThat(later.text("message_id")).isEqualTo(ids.iterator().next());
        var history = api.get("/api/v1/conversations/" + conversation + "/messages", bob.token())
                .expect(200);
        assertThat(history.json().path("messages").size()).isEqualTo(1);
        assertThat(history.json().path("messages").get(0).path("seq").asLong()).isEqualTo(1);
    }

    interface Task {
        Void run(int index) throws Exception;
    }

    /** Starts all tasks at once, so they really race, and fails if any failed. */
    private static void runTogether(int count, Task task) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(count)) {
            List<Future<Void>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                Callable<Void> call = () -> {
                    start.await();
                    return task.run(index);
                };
                futures.add(pool.submit(call));
            }
            start.countDown();
            for (Future<Void> f : futures) {
                f.get();
            }
        }
    }
}

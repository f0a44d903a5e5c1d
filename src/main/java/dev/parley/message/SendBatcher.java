package dev.parley.message;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Group commit per conversation. A conversation's sends are serialised by its row lock, held until the commit
 * is on disk, so one at a time they could never go faster than one fsync each. Here, while one statement for a
 * conversation is in flight, further sends to it queue up and go together in the next statement: one lock hold
 * and one commit for many messages. With no contention a send goes straight through, so nothing waits for a
 * timer. Correctness does not depend on this class: the statement checks membership and idempotency per
 * message and allocates seq under the row lock, so batches from several nodes interleave safely.
 */
@Component
class SendBatcher {

    private static final Logger log = LoggerFactory.getLogger(SendBatcher.class);
    static final int MAX_BATCH = 200;

    private final MessageRepository messages;
    private final Map<UUID, Lane> lanes = new ConcurrentHashMap<>();

    SendBatcher(MessageRepository messages) {
        this.messages = messages;
    }

    private record Pending(MessageRepository.NewMessage message,
            CompletableFuture<Optional<MessageRepository.Stored>> result) {
    }

    private static final class Lane {
        final ReentrantLock lock = new ReentrantLock();
        final ArrayDeque<Pending> queue = new ArrayDeque<>();
        boolean busy;
    }

    /** Stores a user message; empty when its idempotency key was used before or the sender is not a member. */
    Optional<MessageRepository.Stored> store(MessageRepository.NewMessage message) {
        UUID conversationId = message.conversationId();
        Lane lane = lanes.computeIfAbsent(conversationId, k -> new Lane());
        Pending pending = new Pending(message, new CompletableFuture<>());
        boolean run;
        lane.lock.lock();
        try {
            lane.queue.add(pending);
            run = !lane.busy;
            lane.busy = true;
        } finally {
            lane.lock.unlock();
        }
        if (run) {
            runBatch(conversationId, lane);
        }
        return pending.result().join();
    }

    /** Runs one batch in this thread; a queue that built up meanwhile is handed to a fresh virtual thread. */
    private void runBatch(UUID conversationId, Lane lane) {
        List<Pending> batch = new ArrayList<>();
        lane.lock.lock();
        try {
            while (!lane.queue.isEmpty() && batch.size() < MAX_BATCH) {
                batch.add(lane.queue.poll());
            }
        } finally {
            lane.lock.unlock();
        }
        execute(conversationId, batch);
        lane.lock.lock();
        try {
            if (lane.queue.isEmpty()) {
                lane.busy = false;
                lanes.remove(conversationId, lane);
                return;
            }
        } finally {
            lane.lock.unlock();
        }
        Thread.ofVirtual().name("send-batch-" + conversationId).start(() -> runBatch(conversationId, lane));
    }

    private void execute(UUID conversationId, List<Pending> batch) {
        try {
            if (batch.size() == 1) {
                Pending only = batch.getFirst();
                only.result().complete(messages.insert(only.message()));
                return;
            }
            Map<UUID, MessageRepository.Stored> stored = messages.insertBatch(conversationId,
                    batch.stream().map(Pending::message).toList());
            for (Pending p : batch) {
                p.result().complete(Optional.ofNullable(stored.get(p.message().messageId())));
            }
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                batch.getFirst().result().completeExceptionally(e);
                return;
            }
            // One bad message must not fail the others: store them one by one instead.
            log.warn("Batch of {} sends to {} failed; storing them one by one", batch.size(), conversationId, e);
            for (Pending p : batch) {
                try {
                    p.result().complete(messages.insert(p.message()));
                } catch (RuntimeException single) {
                    p.result().completeExceptionally(single);
                }
            }
        }
    }
}

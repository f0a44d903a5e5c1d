package dev.parley.message;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Group commit for sends. A conversation's sends are serialised by its row lock, held until the commit is on
 * disk, so one at a time they could never go faster than one fsync each; and every statement and commit costs
 * the database CPU of its own. Sends are spread over a few lanes by conversation; while a lane's statement is in
 * flight, further sends queue up and go together in its next statement: one commit for many messages, of one
 * conversation or several. With no contention a send goes straight through, so nothing waits for a timer.
 * Correctness does not depend on this class: the statement judges membership, blocks and idempotency per
 * message and allocates seq under the row locks, so batches from several nodes interleave safely.
 */
@Component
class SendBatcher {

    private static final Logger log = LoggerFactory.getLogger(SendBatcher.class);
    static final int MAX_BATCH = 200;

    /** Enough lanes that the database works on several statements at once; one lane per conversation at most. */
    static final int LANES = 4;

    private final MessageRepository messages;
    private final Lane[] lanes = new Lane[LANES];

    SendBatcher(MessageRepository messages) {
        this.messages = messages;
        for (int i = 0; i < LANES; i++) {
            lanes[i] = new Lane();
        }
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
        Lane lane = lanes[Math.floorMod(message.conversationId().hashCode(), LANES)];
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
            runBatch(lane);
        }
        return pending.result().join();
    }

    /** Runs one batch in this thread; a queue that built up meanwhile is handed to a fresh virtual thread. */
    private void runBatch(Lane lane) {
        List<Pending> batch = new ArrayList<>();
        lane.lock.lock();
        try {
            while (!lane.queue.isEmpty() && batch.size() < MAX_BATCH) {
                batch.add(lane.queue.poll());
            }
        } finally {
            lane.lock.unlock();
        }
        execute(batch);
        lane.lock.lock();
        try {
            if (lane.queue.isEmpty()) {
                lane.busy = false;
                return;
            }
        } finally {
            lane.lock.unlock();
        }
        Thread.ofVirtual().name("send-batch").start(() -> runBatch(lane));
    }

    private void execute(List<Pending> batch) {
        try {
            Map<UUID, MessageRepository.Stored> stored = messages.insertBatch(
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
            log.warn("A batch of {} sends failed; storing them one by one", batch.size(), e);
            for (Pending p : batch) {
                try {
                    p.result().complete(Optional.ofNullable(
                            messages.insertBatch(List.of(p.message())).get(p.message().messageId())));
                } catch (RuntimeException single) {
                    p.result().completeExceptionally(single);
                }
            }
        }
    }
}

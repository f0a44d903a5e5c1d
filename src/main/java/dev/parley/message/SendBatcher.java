package dev.parley.message;

import dev.parley.common.SqlStates;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Group commit for text sends. A conversation's sends are serialised by its row lock, held until the commit is on
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

    private final SendTransaction transaction;
    private final Lane[] lanes = new Lane[LANES];

    SendBatcher(SendTransaction transaction) {
        this.transaction = transaction;
        for (int i = 0; i < LANES; i++) {
            lanes[i] = new Lane();
        }
    }

    private record Pending(
            MessageRepository.NewMessage message, CompletableFuture<Optional<MessageRepository.Stored>> result) {}

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
        try {
            return pending.result().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }

    /**
     * Runs one batch in this thread; a queue that built up meanwhile is handed to a fresh virtual thread. Whatever
     * happens, every message taken is answered and the lane is either handed on or marked idle, so no sender can
     * be left waiting.
     */
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
        try {
            execute(batch);
        } catch (Throwable e) {
            batch.forEach(p -> p.result().completeExceptionally(e));
            throw e;
        } finally {
            handOn(lane);
        }
    }

    private void handOn(Lane lane) {
        lane.lock.lock();
        try {
            if (lane.queue.isEmpty()) {
                lane.busy = false;
                return;
            }
        } finally {
            lane.lock.unlock();
        }
        try {
            Thread.ofVirtual().name("send-batch").start(() -> runBatch(lane));
        } catch (Throwable e) {
            // Could not start a thread: answer everyone queued rather than leave them waiting.
            lane.lock.lock();
            try {
                lane.queue.forEach(p -> p.result().completeExceptionally(e));
                lane.queue.clear();
                lane.busy = false;
            } finally {
                lane.lock.unlock();
            }
        }
    }

    private void execute(List<Pending> batch) {
        try {
            Map<UUID, MessageRepository.Stored> stored =
                    transaction.store(batch.stream().map(Pending::message).toList());
            for (Pending p : batch) {
                p.result().complete(Optional.ofNullable(stored.get(p.message().messageId())));
            }
        } catch (RuntimeException e) {
            if (batch.size() == 1 || !causedByOneMessage(e)) {
                // The database is unreachable, overloaded or a lock timed out: one by one would only be slower.
                batch.forEach(p -> p.result().completeExceptionally(e));
                return;
            }
            // A data error of one message must not fail the others: store them one by one instead.
            log.warn("A batch of {} sends failed on bad data; storing them one by one", batch.size(), e);
            for (Pending p : batch) {
                try {
                    p.result()
                            .complete(Optional.ofNullable(transaction
                                    .store(List.of(p.message()))
                                    .get(p.message().messageId())));
                } catch (RuntimeException single) {
                    p.result().completeExceptionally(single);
                }
            }
        }
    }

    /** SQLSTATE classes 22 (data exception) and 23 (integrity violation) come from the data, not the server. */
    private static boolean causedByOneMessage(Throwable e) {
        String state = SqlStates.of(e);
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }
}

package dev.parley.realtime.sync;

import dev.parley.auth.AccessRevoked;
import dev.parley.conversation.ConversationUpdated;
import dev.parley.conversation.ParticipantAdded;
import dev.parley.conversation.ParticipantRemoved;
import dev.parley.message.MessageDeleted;
import dev.parley.message.MessageEdited;
import dev.parley.message.MessageImageUpdated;
import dev.parley.message.MessageSent;
import dev.parley.reaction.ReactionAdded;
import dev.parley.reaction.ReactionRemoved;
import dev.parley.realtime.delivery.Audience;
import dev.parley.receipt.ReceiptUpdated;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Wakes long polls and event streams of this node when a change that concerns their user has committed here.
 * A wake-up is only a hint to look at the log again: changes made on other nodes, or held behind an older open
 * transaction, are found by the node's {@link SyncNotifier}, which wakes the waiters concerned in the same way.
 */
@Component
class SyncWaiters {

    private static final Logger log = LoggerFactory.getLogger(SyncWaiters.class);

    /**
     * The waits of one request, registered before it first reads the log and kept until it ends, so that a wake-up
     * while it reads is never lost: the next {@link #await} returns at once.
     */
    static final class Waiter {

        private final Semaphore woken = new Semaphore(0);

        /** True when woken since the last call (now or while not waiting), false when the time ran out. */
        boolean await(Duration atMost) throws InterruptedException {
            boolean was = woken.tryAcquire(Math.max(1, atMost.toMillis()), TimeUnit.MILLISECONDS);
            woken.drainPermits();
            return was;
        }

        void wake() {
            woken.release();
        }
    }

    private final Map<UUID, Set<Waiter>> waiting = new ConcurrentHashMap<>();
    private final Audience audience;
    private volatile boolean closing;

    SyncWaiters(Audience audience) {
        this.audience = audience;
    }

    /** Waiters registered now (read when metrics are scraped). */
    int count() {
        int n = 0;
        for (Set<Waiter> set : waiting.values()) {
            n += set.size();
        }
        return n;
    }

    Waiter register(UUID user) {
        Waiter waiter = new Waiter();
        waiting.computeIfAbsent(user, k -> ConcurrentHashMap.newKeySet()).add(waiter);
        return waiter;
    }

    void unregister(UUID user, Waiter waiter) {
        waiting.computeIfPresent(user, (k, set) -> {
            set.remove(waiter);
            return set.isEmpty() ? null : set;
        });
    }

    /** How many requests of this user are waiting now (for metrics and tests). */
    int waiting(UUID user) {
        Set<Waiter> found = waiting.get(user);
        return found == null ? 0 : found.size();
    }

    /** The server is stopping: every waiter is woken, and waits end at once from now on. */
    void closeAll() {
        closing = true;
        wakeAll();
    }

    /** Nobody waits on this node. */
    boolean isEmpty() {
        return waiting.isEmpty();
    }

    /** Every waiter looks at the log again. */
    void wakeAll() {
        waiting.values().forEach(set -> set.forEach(Waiter::wake));
    }

    /** Started (again): waits last until woken or timed out. */
    void open() {
        closing = false;
    }

    boolean closing() {
        return closing;
    }

    void wake(Collection<UUID> users) {
        for (UUID user : users) {
            Set<Waiter> found = waiting.get(user);
            if (found != null) {
                found.forEach(Waiter::wake);
            }
        }
    }

    /** A revoked caller's event streams and long polls wake, to find their caller revoked and end. */
    @EventListener
    void on(AccessRevoked revoked) {
        wake(Set.of(revoked.userId()));
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(MessageSent event) {
        wakeConversation(event.message().conversationId(), null);
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(MessageEdited event) {
        wakeConversation(event.message().conversationId(), null);
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(MessageImageUpdated event) {
        wakeConversation(event.message().conversationId(), null);
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(MessageDeleted event) {
        wakeConversation(event.conversationId(), null);
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(ReactionAdded event) {
        wakeConversation(event.conversationId(), null);
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(ReactionRemoved event) {
        wakeConversation(event.conversationId(), null);
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(ReceiptUpdated event) {
        wakeConversation(event.conversationId(), null);
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(ConversationUpdated event) {
        wakeConversation(event.conversationId(), null);
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(ParticipantAdded event) {
        wakeConversation(event.conversationId(), event.user().userId());
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(ParticipantRemoved event) {
        wakeConversation(event.conversationId(), event.userId());
    }

    /** Everyone in the conversation, and the user whose membership just changed (the cache may predate it). */
    private void wakeConversation(UUID conversationId, UUID alsoUser) {
        if (waiting.isEmpty()) {
            return;
        }
        try {
            Set<UUID> users = new HashSet<>(audience.of(conversationId));
            if (alsoUser != null) {
                users.add(alsoUser);
            }
            wake(users);
        } catch (RuntimeException e) {
            // The write has succeeded and must stay so; waiters find the change by their fallback poll.
            log.warn("sync_wake_failed conversation_id={}", conversationId, e);
        }
    }
}

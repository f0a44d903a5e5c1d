package dev.parley.webhook;

import dev.parley.message.MessageDeleted;
import dev.parley.message.MessageEdited;
import dev.parley.message.MessageImageUpdated;
import dev.parley.message.MessageSent;
import dev.parley.message.MessageView;
import dev.parley.message.MessagesExpired;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Messages this node has just sent, as their {@code MessageSent} announced them, kept for the webhook delivery
 * that carries their {@code message.new} a moment later: with webhooks on, every message would otherwise be read
 * back from PostgreSQL (the message, its images, its reactions) only to be written out again, a few milliseconds
 * after it was stored (docs/benchmarks.md). A message is handed over once, only while fresh ({@link #FRESH}) and
 * only if nothing changed it since: an edit, a new image state, a deletion (an erasure's included) or an expiry
 * forgets it, so the delivery reads it as it is now, as it does for messages sent on other nodes. Reactions made in
 * those milliseconds are not in it; their {@code message.reaction} events follow in the same stream.
 *
 * <p>Bounded: a node that is not the one recording deliveries (several nodes) fills it up to {@link #MAX} and then
 * starts again empty; a miss only costs the read it saves.
 */
@Component
class SentMessages {

    static final int MAX = 5_000;
    static final Duration FRESH = Duration.ofSeconds(5);

    private record Sent(MessageView message, long atNanos) {}

    private final Map<UUID, Sent> recent = new ConcurrentHashMap<>();
    private final WebhookProperties properties;

    SentMessages(WebhookProperties properties) {
        this.properties = properties;
    }

    /**
     * Once committed (a rolled-back message never reaches the log, so it is not kept), and before the other
     * listeners of the commit (the socket fan-out among them), so that a consumer reading the log right away finds it.
     */
    @Order(Ordered.HIGHEST_PRECEDENCE)
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(MessageSent sent) {
        if (!properties.enabled()) {
            return;
        }
        if (recent.size() >= MAX) {
            recent.clear();
        }
        recent.put(sent.message().messageId(), new Sent(sent.message(), System.nanoTime()));
    }

    // Changes forget the message as soon as they are made (in their transaction): a delivery recorded after that
    // reads the message as it is then.

    @EventListener
    void on(MessageEdited edited) {
        recent.remove(edited.message().messageId());
    }

    @EventListener
    void on(MessageImageUpdated updated) {
        recent.remove(updated.message().messageId());
    }

    @EventListener
    void on(MessageDeleted deleted) {
        recent.remove(deleted.messageId());
    }

    @EventListener
    void on(MessagesExpired expired) {
        expired.messages().forEach(deleted -> recent.remove(deleted.messageId()));
    }

    /** The message as this node sent it, if it did within {@link #FRESH} and nothing has changed it; once. */
    @Nullable
    MessageView take(UUID messageId) {
        Sent sent = recent.remove(messageId);
        return sent == null || System.nanoTime() - sent.atNanos() > FRESH.toNanos() ? null : sent.message();
    }
}

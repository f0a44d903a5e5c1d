package dev.parley.presence;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Who is typing where. Never written to PostgreSQL: a typing state is worthless after seconds. In process by
 * default; a shared store (Redis, with the same expiry) takes its place when several nodes run.
 */
public interface TypingStore {

    /**
     * Marks the user typing in the conversation until {@code expiresAt}. Returns whether the members should hear of
     * it: when the user was not typing there at {@code now}, or was last announced {@code announceEvery} ago or
     * more. Decided in one step, so that of several nodes renewing the same state only one announces.
     */
    boolean start(UUID conversationId, UUID userId, Instant now, Instant expiresAt, Duration announceEvery);

    /** Returns whether the user was typing. */
    boolean stop(UUID conversationId, UUID userId);

    /**
     * {@link #stop} without waiting: completes with whether the user was typing (false when the store failed).
     * For the send path, which should not wait for a round trip to a shared store.
     */
    default CompletionStage<Boolean> stopLater(UUID conversationId, UUID userId) {
        return CompletableFuture.completedFuture(stop(conversationId, userId));
    }

    /** Users typing at {@code now}, with the time their state expires. */
    Map<UUID, Instant> typing(UUID conversationId, Instant now);
}

package dev.parley.push;

import java.time.Instant;
import java.util.UUID;

/**
 * One event of the catch-up log as its consumers read it: {@code data} is the stored JSON (for message events
 * only seq, time and whether it is a system message; readers fetch the message itself). {@code originSession}:
 * the session that caused it, where recorded (receipts), never part of what clients or webhooks see.
 * {@code messageCreatedAt}: for {@code message.new} and {@code message.updated}, the message's {@code created_at}
 * from the data (the key its partition is found by), read by PostgreSQL; null for other events.
 */
public record LogEvent(
        long eventId,
        UUID conversationId,
        String type,
        UUID actorId,
        UUID messageId,
        String data,
        Instant createdAt,
        UUID originSession,
        Instant messageCreatedAt) {}

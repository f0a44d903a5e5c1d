package dev.parley.message;

import java.util.List;

/**
 * Published after the expiry sweep removed disappearing messages: one {@code message.deleted} frame with
 * {@code expired: true} for each. The sweep's statement logged them in the catch-up log itself, so this event is
 * for live delivery only.
 */
public record MessagesExpired(List<MessageDeleted> messages) {}

package dev.parley.user;

import java.time.Instant;
import java.util.UUID;

/**
 * Whether a user may be let in: {@code deleted} covers an erased account and a user row that no longer exists;
 * {@code suspendedUntil} is when a suspension ends (null: none), which may already have passed.
 */
public record AccountStanding(UUID userId, boolean deleted, Instant suspendedUntil) {

    public static AccountStanding gone(UUID userId) {
        return new AccountStanding(userId, true, null);
    }

    public boolean suspendedAt(Instant now) {
        return suspendedUntil != null && suspendedUntil.isAfter(now);
    }

    /** Neither deleted nor suspended at {@code now}. */
    public boolean activeAt(Instant now) {
        return !deleted && !suspendedAt(now);
    }
}

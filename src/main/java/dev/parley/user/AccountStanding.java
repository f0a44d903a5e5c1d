package dev.parley.user;

import java.time.Instant;
import java.util.UUID;

/**
 * Whether a user may be let in: {@code deleted} covers an erased account and a user row that no longer exists;
 * {@code suspendedUntil} is when a suspension ends (null: none), which may already have passed.
 */
public record AccountStanding(UUID userId, boolean deleted, Instant suspendedUntil) {

    /** What a suspension without an end stores as its end. */
    public static final Instant INDEFINITE = Instant.parse("9999-12-31T23:59:59Z");

    /** When the suspension ends, or null when it does not (or there is none). */
    public Instant suspensionEnds() {
        return suspendedUntil == null || !suspendedUntil.isBefore(INDEFINITE) ? null : suspendedUntil;
    }

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

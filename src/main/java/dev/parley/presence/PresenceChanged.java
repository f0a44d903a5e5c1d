package dev.parley.presence;

import java.time.Instant;
import java.util.UUID;

/** Published when a user's status changes (online, away, offline); never for a heartbeat that changes nothing. */
public record PresenceChanged(UUID userId, String status, Instant lastSeenAt) {}

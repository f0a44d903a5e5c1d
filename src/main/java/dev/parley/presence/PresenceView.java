package dev.parley.presence;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** {@code GET /users/{id}/presence}. {@code lastSeenAt} is null for a user never seen. */
public record PresenceView(
        UUID userId, String status, @Nullable Instant lastSeenAt, int deviceCount) {}

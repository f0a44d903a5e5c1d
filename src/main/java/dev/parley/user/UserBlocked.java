package dev.parley.user;

import java.util.UUID;

/** Published after {@code blocker} blocked {@code blocked}. */
public record UserBlocked(UUID blocker, UUID blocked) {}

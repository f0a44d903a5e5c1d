package dev.parley.user;

import java.util.UUID;

/** Published after {@code blocker} lifted a block on {@code blocked}. */
public record UserUnblocked(UUID blocker, UUID blocked) {}

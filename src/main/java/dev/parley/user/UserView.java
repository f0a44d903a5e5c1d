package dev.parley.user;

import java.util.UUID;

/** The contract's user object. */
public record UserView(UUID userId, String username, String displayName, String profilePhotoUrl) {}

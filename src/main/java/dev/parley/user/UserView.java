package dev.parley.user;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** The contract's user object. */
public record UserView(
        UUID userId,
        @Nullable String username,
        String displayName,
        @Nullable String profilePhotoUrl) {}

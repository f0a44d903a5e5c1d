package dev.parley.auth;

import java.util.UUID;

/** The authenticated caller; controllers receive it as a method argument. */
public record AuthUser(UUID id) {
}

package dev.parley.message;

import jakarta.validation.constraints.NotNull;

/** {@code PATCH /messages/{id}}. */
public record EditMessageRequest(@NotNull String content) {}

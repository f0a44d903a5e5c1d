package dev.parley.message;

import jakarta.validation.constraints.NotNull;
import tools.jackson.databind.JsonNode;

/** {@code PATCH /messages/{id}}. */
public record EditMessageRequest(@NotNull String content, JsonNode metadata) {}

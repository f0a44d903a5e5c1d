package dev.parley.message;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** {@code POST /conversations/{id}/messages} and the WebSocket {@code message.send}. */
public record SendMessageRequest(
        @NotNull @Pattern(regexp = "text|image", message = "must be text or image")
        String type,

        @Nullable String content,
        @Nullable UUID replyTo,
        @Nullable UUID attachmentId,

        @Size(min = 1, max = 64)
        @Pattern(regexp = "[\\x21-\\x7E]+", message = "must be printable ASCII without spaces")
        @Nullable
        String clientMessageId) {}

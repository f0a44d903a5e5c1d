package dev.parley.attachment;

import jakarta.validation.constraints.NotNull;
import java.util.UUID;

/** {@code POST /messages/attachments/complete}. */
public record CompleteUploadRequest(@NotNull UUID attachmentId) {}

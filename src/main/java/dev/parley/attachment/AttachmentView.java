package dev.parley.attachment;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The contract's attachment object. {@code url} and {@code thumbnail_url} are short-lived signed URLs, present
 * once processing has finished; {@code failure_reason} says why an upload was refused.
 */
public record AttachmentView(
        UUID attachmentId,
        String fileType,
        String mimeType,
        String fileName,
        Long fileSize,
        @Nullable Integer width,
        @Nullable Integer height,
        UploadStatus uploadStatus,
        @Nullable String url,
        @Nullable String thumbnailUrl,
        @Nullable String blurhash,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String failureReason) {}

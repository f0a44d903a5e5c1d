package dev.parley.attachment;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.UUID;

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
        Integer width,
        Integer height,
        UploadStatus uploadStatus,
        String url,
        String thumbnailUrl,
        String blurhash,
        @JsonInclude(JsonInclude.Include.NON_NULL) String failureReason) {}

package dev.parley.attachment;

import java.util.UUID;

/**
 * An image message's {@code metadata} as docs/api.md shows it (Objects), plus the BlurHash placeholder and the
 * processing state ({@code processing} until the thumbnail exists, {@code deleted} once the image is gone).
 */
public record ImageMetadata(
        UUID attachmentId,
        String imageUrl,
        String thumbnailUrl,
        Integer width,
        Integer height,
        Long fileSize,
        String mimeType,
        String blurhash,
        UploadStatus uploadStatus) {

    public static ImageMetadata of(AttachmentView attachment) {
        return new ImageMetadata(
                attachment.attachmentId(),
                attachment.url(),
                attachment.thumbnailUrl(),
                attachment.width(),
                attachment.height(),
                attachment.fileSize(),
                attachment.mimeType(),
                attachment.blurhash(),
                attachment.uploadStatus());
    }
}

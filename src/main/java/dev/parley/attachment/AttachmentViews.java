package dev.parley.attachment;

import dev.parley.storage.ObjectStorage;
import dev.parley.storage.StorageUnavailableException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The contract's attachment object of a row, with download URLs signed now: URLs are minted per read, never
 * stored, so they are always fresh and a removed image simply has none.
 */
final class AttachmentViews {

    private static final Logger log = LoggerFactory.getLogger(AttachmentViews.class);

    private final ObjectStorage storage;
    private final Duration urlTtl;

    AttachmentViews(ObjectStorage storage, AttachmentProperties properties) {
        this.storage = storage;
        this.urlTtl = properties.downloadUrlTtl();
    }

    AttachmentView of(AttachmentRepository.Row row) {
        String url = null;
        String thumbnailUrl = null;
        UploadStatus status =
                row.deleted() && row.status() != UploadStatus.FAILED ? UploadStatus.DELETED : row.status();
        if (status == UploadStatus.COMPLETED) {
            url = signedUrl(row.storageKey(), row.mimeType());
            thumbnailUrl = row.thumbnailKey() == null ? null : signedUrl(row.thumbnailKey(), row.thumbnailMimeType());
        }
        return new AttachmentView(
                row.attachmentId(),
                "image",
                row.mimeType(),
                row.fileName(),
                row.fileSize(),
                row.width(),
                row.height(),
                status,
                url,
                thumbnailUrl,
                row.blurhash(),
                row.failureReason());
    }

    /**
     * A fresh signed GET, or null when the store cannot sign now: a page of history with an image in it is
     * still served, with the URLs left out (the client asks again later), rather than failing whole.
     */
    private String signedUrl(String key, String mimeType) {
        try {
            return storage.signDownload(key, mimeType, urlTtl).url().toString();
        } catch (StorageUnavailableException e) {
            log.warn("storage_sign_failed key={} error=\"{}\"", key, e.detail());
            return null;
        }
    }
}

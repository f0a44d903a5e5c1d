package dev.parley.attachment;

import dev.parley.attachment.image.ImageFormat;
import dev.parley.attachment.image.ImageInfo;
import dev.parley.attachment.image.ImagePipeline;
import dev.parley.attachment.image.InvalidImageException;
import dev.parley.common.ErrorCode;
import dev.parley.common.Ids;
import dev.parley.common.ParleyException;
import dev.parley.common.Text;
import dev.parley.storage.ObjectStorage;
import dev.parley.storage.SignedRequest;
import dev.parley.storage.StorageUnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Image uploads: a ticket (a signed PUT straight to object storage, into quarantine), completion (the object
 * must exist with the declared size, and its header must be a real image of the declared type within the pixel
 * limit), then background processing ({@link AttachmentJobs}) that re-encodes it and makes the thumbnail. Signed
 * read URLs are issued only through this service, and only to the uploader or a participant of the
 * conversation the image was sent to.
 */
@Service
public class AttachmentService {

    private static final Logger log = LoggerFactory.getLogger(AttachmentService.class);

    private final AttachmentRepository attachments;
    private final ObjectStorage storage;
    private final ImagePipeline pipeline;
    private final AttachmentJobs jobs;
    private final UploadChecks checks;
    private final AttachmentProperties properties;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final AttachmentViews views;

    AttachmentService(
            AttachmentRepository attachments,
            ObjectStorage storage,
            ImagePipeline pipeline,
            AttachmentJobs jobs,
            UploadChecks checks,
            AttachmentProperties properties,
            TransactionTemplate transactions,
            Clock clock) {
        this.attachments = attachments;
        this.storage = storage;
        this.pipeline = pipeline;
        this.jobs = jobs;
        this.checks = checks;
        this.properties = properties;
        this.transactions = transactions;
        this.clock = clock;
        this.views = new AttachmentViews(storage, properties);
    }

    /**
     * Issues an upload ticket. Throws VALIDATION_FAILED, INVALID_ATTACHMENT (type not allowed),
     * ATTACHMENT_TOO_LARGE, RATE_LIMIT_EXCEEDED (images per hour), SERVICE_UNAVAILABLE.
     */
    public UploadTicket createUpload(UUID uploader, UploadUrlRequest request) {
        String fileName = Text.requireStorable("filename", request.filename().strip());
        String mimeType = allowedType(request.contentType());
        long size = request.fileSize();
        long max = properties.maxFileSize().toBytes();
        if (size > max) {
            throw tooLarge(size, max);
        }
        checks.ticket(uploader);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        UUID id = Ids.uuidV7(now.toEpochMilli());
        String key = Keys.quarantine(id);
        attachments.insert(id, uploader, fileName, size, mimeType, key, now);
        SignedRequest put = storage(() -> storage.signUpload(key, mimeType, size, properties.uploadUrlTtl()));
        log.debug("attachment_ticket attachment_id={} uploader_id={} size={} type={}", id, uploader, size, mimeType);
        return new UploadTicket(
                id,
                put.url().toString(),
                put.method(),
                put.headers(),
                Math.max(1, Duration.between(clock.instant(), put.expiresAt()).toSeconds()));
    }

    /**
     * Checks the uploaded bytes and queues processing; waits a little for it, so that usually the answer is
     * already {@code completed} with URLs. Completing again answers the current state. The upload is first moved
     * to a key no URL was signed for, so the bytes checked are the bytes processed, whatever the client PUTs
     * afterwards. Throws ATTACHMENT_NOT_FOUND, INVALID_ATTACHMENT (not uploaded, size differs, not a real image of
     * its type, too many pixels, more memory to process than this server allows), ATTACHMENT_TOO_LARGE,
     * SERVICE_UNAVAILABLE, CONTENT_REJECTED (the moderation hook).
     */
    public AttachmentView complete(UUID uploader, UUID attachmentId) {
        AttachmentRepository.Row row = owned(uploader, attachmentId);
        if (row.status() != UploadStatus.UPLOADING) {
            return settled(row);
        }
        checks.completing(uploader, attachmentId);
        long max = properties.maxFileSize().toBytes();
        String checked = Keys.checked(attachmentId);
        // Nothing to move is fine when an earlier call moved it and then could not finish (a 503).
        storage(() -> storage.move(Keys.quarantine(attachmentId), checked));
        long size = storage(() -> storage.size(checked))
                .orElseThrow(() -> new ParleyException(
                        ErrorCode.INVALID_ATTACHMENT,
                        "Nothing was uploaded yet: PUT the file to the upload URL first",
                        Map.of("reason", "not_uploaded")));
        if (size > max) {
            refuse(row, "The upload is larger than the " + max + " byte limit");
            throw tooLarge(size, max);
        }
        if (size != row.fileSize()) {
            throw refuse(row, "The upload has " + size + " bytes, not the declared " + row.fileSize());
        }
        ImageInfo info = inspect(row, checked);
        boolean started = Boolean.TRUE.equals(transactions.execute(status -> {
            if (!attachments.startProcessing(attachmentId, info.width(), info.height(), checked)) {
                return false;
            }
            jobs.process(attachmentId);
            return true;
        }));
        if (started) {
            log.info(
                    "attachment_uploaded attachment_id={} size={} width={} height={} type={}",
                    attachmentId,
                    size,
                    info.width(),
                    info.height(),
                    row.mimeType());
            jobs.awaitProcessed(attachmentId, properties.completeWait());
        }
        return settled(owned(uploader, attachmentId));
    }

    /**
     * The attachment, to its uploader or to a participant of the conversation its message is in, with fresh
     * URLs. Throws ATTACHMENT_NOT_FOUND.
     */
    public AttachmentView get(UUID viewer, UUID attachmentId) {
        AttachmentRepository.Row row = attachments.find(attachmentId).orElseThrow(AttachmentService::notFound);
        if (!row.uploaderId().equals(viewer) && !attachments.visibleTo(attachmentId, viewer)) {
            throw notFound();
        }
        return views.of(row);
    }

    /**
     * An attachment its uploader may send: completed upload (processing or done), not removed. Throws
     * ATTACHMENT_NOT_FOUND (no such attachment of this user), INVALID_ATTACHMENT (not completed, refused),
     * CONTENT_REJECTED (image moderation).
     */
    public ImageAttachment requireSendable(UUID sender, UUID attachmentId) {
        AttachmentRepository.Row row = owned(sender, attachmentId);
        switch (row.status()) {
            case UPLOADING ->
                throw new ParleyException(
                        ErrorCode.INVALID_ATTACHMENT,
                        "The upload is not completed: call complete first",
                        Map.of("reason", "not_uploaded"));
            case FAILED ->
                throw new ParleyException(
                        ErrorCode.INVALID_ATTACHMENT, row.failureReason(), Map.of("reason", "invalid"));
            case REJECTED ->
                throw new ParleyException(
                        ErrorCode.CONTENT_REJECTED, row.failureReason(), Map.of("reason", "image_moderation"));
            default -> {
                if (row.deleted()) {
                    throw notFound();
                }
            }
        }
        return new ImageAttachment(row.attachmentId(), row.messageId());
    }

    /**
     * Ties the attachment to a message, inside the caller's (the send's) transaction; false when it is taken,
     * not this sender's, or not sendable any more.
     */
    public boolean claim(UUID attachmentId, UUID sender, UUID messageId, UUID conversationId) {
        return attachments.claim(attachmentId, sender, messageId, conversationId);
    }

    /**
     * The attachments of messages, by message id, with fresh signed URLs; the caller has checked that the viewer
     * may see those messages. The attachment's row holds the one link between the two (set when a send claims
     * it); removed attachments come back without URLs.
     */
    public Map<UUID, AttachmentView> forMessages(Collection<UUID> messageIds) {
        if (messageIds.isEmpty()) {
            return Map.of();
        }
        Map<UUID, AttachmentView> out = new HashMap<>();
        for (AttachmentRepository.Row row : attachments.findByMessages(messageIds)) {
            out.put(row.messageId(), views.of(row));
        }
        return out;
    }

    /**
     * Inside the transaction that deletes a message: its image is no longer served (the objects go in a
     * background job, so a storage outage cannot block the delete).
     */
    public void forgetMessage(UUID messageId) {
        List<AttachmentRepository.Doomed> doomed = attachments.forgetMessage(messageId, clock.instant());
        doomed.forEach(jobs::deleteObjects);
    }

    /**
     * Inside the transaction that removes messages for good (they expired, or retention took them): their images
     * leave storage in background jobs queued in that transaction. {@code expired}: a disappearing message, else
     * retention.
     */
    public void forgetRemovedMessages(Collection<UUID> messageIds, boolean expired) {
        if (messageIds.isEmpty()) {
            return;
        }
        attachments
                .forgetMessages(messageIds, expired ? "expired" : "retention", clock.instant())
                .forEach(jobs::deleteObjects);
    }

    private AttachmentView settled(AttachmentRepository.Row row) {
        if (row.status() == UploadStatus.FAILED) {
            throw new ParleyException(ErrorCode.INVALID_ATTACHMENT, row.failureReason(), Map.of("reason", "invalid"));
        }
        return views.of(row);
    }

    /**
     * Reads the object's header (never a full decode) to check type, pixel count and the memory processing would
     * need, before any processing.
     */
    private ImageInfo inspect(AttachmentRepository.Row row, String key) {
        ImageFormat format = ImageFormat.ofMimeType(row.mimeType()).orElseThrow();
        Path temp = null;
        try {
            Path file = Files.createTempFile("parley-inspect-", ".bin");
            temp = file;
            if (!storage(() -> storage.download(key, file))) {
                throw new ParleyException(
                        ErrorCode.INVALID_ATTACHMENT, "Nothing was uploaded yet", Map.of("reason", "not_uploaded"));
            }
            return pipeline.inspect(file, format);
        } catch (InvalidImageException e) {
            throw refuse(row, e.reason());
        } catch (ParleyException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Not a verdict on the image (a read that failed half-way, a full temp disk): the client may retry.
            log.warn("attachment_inspect_failed attachment_id={} error=\"{}\"", row.attachmentId(), e.toString());
            throw new ParleyException(
                    ErrorCode.SERVICE_UNAVAILABLE,
                    "Could not read the upload; try again",
                    Map.of(),
                    Duration.ofSeconds(5));
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // A temp file; the OS cleans its temp folder.
                }
            }
        }
    }

    /** Marks the upload refused and removes its object; returns the error for the caller to throw. */
    private ParleyException refuse(AttachmentRepository.Row row, String reason) {
        transactions.executeWithoutResult(status -> attachments
                .fail(row.attachmentId(), reason, clock.instant())
                .ifPresent(failed -> jobs.deleteObjects(failed.doomed())));
        log.info("attachment_refused attachment_id={} reason=\"{}\"", row.attachmentId(), reason);
        return new ParleyException(ErrorCode.INVALID_ATTACHMENT, reason, Map.of("reason", "invalid"));
    }

    private AttachmentRepository.Row owned(UUID uploader, UUID attachmentId) {
        return attachments
                .find(attachmentId)
                .filter(row -> row.uploaderId().equals(uploader))
                .orElseThrow(AttachmentService::notFound);
    }

    /** The declared type, normalised by {@link ImageFormat#ofMimeType}, when it is one this server accepts. */
    private String allowedType(String contentType) {
        return ImageFormat.ofMimeType(contentType)
                .map(ImageFormat::mimeType)
                .filter(properties.allowedTypes()::contains)
                .orElseThrow(() -> new ParleyException(
                        ErrorCode.INVALID_ATTACHMENT,
                        "content_type must be one of " + String.join(", ", properties.allowedTypes()),
                        Map.of("field", "content_type", "allowed", properties.allowedTypes())));
    }

    private static ParleyException tooLarge(long size, long max) {
        return new ParleyException(
                ErrorCode.ATTACHMENT_TOO_LARGE,
                "The file has " + size + " bytes; the limit is " + max,
                Map.of("limit", max, "size", size));
    }

    private static ParleyException notFound() {
        return new ParleyException(ErrorCode.ATTACHMENT_NOT_FOUND, "Attachment not found");
    }

    /** Logs what the client will not see (the key and the cause); the client gets 503 with Retry-After. */
    private static <T> T storage(Supplier<T> call) {
        try {
            return call.get();
        } catch (StorageUnavailableException e) {
            log.warn("storage_unavailable error=\"{}\"", e.detail());
            throw e;
        }
    }
}

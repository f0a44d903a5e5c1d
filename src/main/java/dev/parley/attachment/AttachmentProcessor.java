package dev.parley.attachment;

import dev.parley.attachment.image.ImageFormat;
import dev.parley.attachment.image.InvalidImageException;
import dev.parley.attachment.image.ProcessedImage;
import dev.parley.common.ChatMetrics;
import dev.parley.screening.ImageModeration;
import dev.parley.storage.ObjectStorage;
import dev.parley.storage.StorageUnavailableException;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The image job: takes the quarantined upload, cleans it (metadata and any trailing payload gone; see
 * {@code ImagePipeline.process}), makes the thumbnail and BlurHash, has image moderation judge it (a flagged image
 * is rejected and never published), stores both outside quarantine, marks the attachment completed and announces it
 * ({@link AttachmentEvents}). Runs on any node, more
 * than once if a node dies mid-way: every step can be repeated.
 *
 * <p>Workers are shared fairly: one job per uploader runs at a time, across nodes, so a user who queues many
 * heavy images waits for their own, not others for them. A job that finds another of its uploader's running,
 * or no room in the node's memory budget ({@link ImageJobLimits}), goes back to the queue for a little while.
 */
@Component
class AttachmentProcessor {

    private static final Logger log = LoggerFactory.getLogger(AttachmentProcessor.class);

    private final AttachmentRepository attachments;
    private final ObjectStorage storage;
    private final ImageSteps steps;
    private final AttachmentJobs jobs;
    private final AttachmentEvents events;
    private final TransactionTemplate transactions;
    private final ChatMetrics metrics;
    private final Clock clock;

    AttachmentProcessor(
            AttachmentRepository attachments,
            ObjectStorage storage,
            ImageSteps steps,
            AttachmentJobs jobs,
            AttachmentEvents events,
            TransactionTemplate transactions,
            ChatMetrics metrics,
            Clock clock) {
        this.attachments = attachments;
        this.storage = storage;
        this.steps = steps;
        this.jobs = jobs;
        this.events = events;
        this.transactions = transactions;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** What the queue should do with the job once it returns. */
    enum Outcome {
        /** Finished, refused, or nothing left to do: remove the job. */
        DONE,
        /** Not started (another job of the uploader runs, or no memory budget free): run it again shortly. */
        LATER
    }

    /**
     * Processes one attachment. Storage and I/O failures propagate, so the queue retries; on the
     * {@code lastAttempt} they mark the upload failed instead.
     */
    Outcome process(UUID attachmentId, boolean lastAttempt) {
        Optional<AttachmentRepository.Row> found =
                attachments.find(attachmentId).filter(AttachmentRepository.Row::processing);
        if (found.isEmpty()) {
            jobs.processed(attachmentId);
            return Outcome.DONE;
        }
        AttachmentRepository.Row row = found.get();
        Instant now = clock.instant();
        boolean turn = Boolean.TRUE.equals(transactions.execute(
                status -> attachments.startJob(attachmentId, row.uploaderId(), now, now.minus(steps.longestRun()))));
        if (!turn) {
            boolean stillWaiting = attachments
                    .find(attachmentId)
                    .filter(AttachmentRepository.Row::processing)
                    .isPresent();
            if (!stillWaiting) {
                jobs.processed(attachmentId);
            }
            return stillWaiting ? Outcome.LATER : Outcome.DONE;
        }
        long started = System.nanoTime();
        Path work = null;
        try {
            work = Files.createTempDirectory("parley-image-");
            Path source = work.resolve("upload");
            if (!storage.download(row.storageKey(), source)) {
                throw new InvalidImageException("The uploaded file is gone");
            }
            ImageFormat format = ImageFormat.ofMimeType(row.mimeType()).orElseThrow();
            Optional<ProcessedImage> processed = steps.process(source, format, work);
            if (processed.isEmpty()) {
                log.debug("attachment_waits_for_memory attachment_id={}", attachmentId);
                return Outcome.LATER;
            }
            ProcessedImage image = processed.get();
            ImageModeration.Verdict verdict = steps.check(row, image, lastAttempt);
            if (verdict.flagged()) {
                reject(row, verdict);
                return Outcome.DONE;
            }
            store(row, image);
            log.info(
                    "attachment_processed attachment_id={} width={} height={} size={} thumbnail={}x{} took_ms={}",
                    attachmentId,
                    image.width(),
                    image.height(),
                    image.originalSize(),
                    image.thumbnailWidth(),
                    image.thumbnailHeight(),
                    (System.nanoTime() - started) / 1_000_000);
        } catch (InvalidImageException e) {
            fail(row, e.reason());
        } catch (IOException | RuntimeException e) {
            if (!lastAttempt) {
                log.warn("attachment_processing_retry attachment_id={} error=\"{}\"", attachmentId, e.toString());
                throw e instanceof RuntimeException runtime
                        ? runtime
                        : new StorageUnavailableException(e.getMessage(), e);
            }
            log.error("attachment_processing_gave_up attachment_id={}", attachmentId, e);
            fail(row, "The image could not be processed");
        } finally {
            // The uploader's next image may start (on whichever node picks it).
            attachments.endJob(attachmentId);
            delete(work);
        }
        return Outcome.DONE;
    }

    private void store(AttachmentRepository.Row row, ProcessedImage image) {
        UUID id = row.attachmentId();
        String originalKey = Keys.original(id, image.format());
        String thumbnailKey = Keys.thumbnail(
                id, ImageFormat.ofMimeType(image.thumbnailMimeType()).orElseThrow());
        Timer.Sample upload = Timer.start();
        storage.put(originalKey, image.original(), image.format().mimeType());
        storage.put(thumbnailKey, image.thumbnail(), image.thumbnailMimeType());
        upload.stop(metrics.storageUpload());
        Optional<AttachmentRepository.Row> done = transactions.execute(status -> {
            Optional<AttachmentRepository.Row> completed = attachments.complete(
                    id,
                    originalKey,
                    image.originalSize(),
                    image.width(),
                    image.height(),
                    thumbnailKey,
                    image.thumbnailMimeType(),
                    image.thumbnailWidth(),
                    image.thumbnailHeight(),
                    image.blurhash(),
                    clock.instant());
            completed.ifPresent(events::processed);
            return completed;
        });
        if (done.isEmpty()) {
            // Removed, refused, or finished by another run of this job (a node thought dead): the objects are
            // this run's to remove only when the row does not name them.
            boolean theirs = attachments
                    .find(id)
                    .map(now -> originalKey.equals(now.storageKey()))
                    .orElse(false);
            if (!theirs) {
                transactions.executeWithoutResult(status -> jobs.deleteObjects(
                        new AttachmentRepository.Doomed(id, originalKey, thumbnailKey, row.mimeType())));
            }
        } else {
            // The checked upload, and the client's own key, which a PUT may have written again since.
            List<String> quarantined = List.of(row.storageKey(), Keys.quarantine(id));
            try {
                quarantined.forEach(storage::delete);
            } catch (StorageUnavailableException e) {
                transactions.executeWithoutResult(status -> jobs.deleteKeys(id, quarantined));
            }
        }
        jobs.processed(id);
    }

    /** Image moderation refused it: nothing was published; the checked upload goes, the row reads rejected. */
    private void reject(AttachmentRepository.Row row, ImageModeration.Verdict verdict) {
        transactions.executeWithoutResult(status -> attachments
                .reject(row.attachmentId(), clock.instant())
                .ifPresent(rejected -> {
                    jobs.deleteObjects(rejected.doomed());
                    events.rejected(rejected, verdict.labels());
                }));
        log.info("attachment_rejected_by_moderation attachment_id={} labels={}", row.attachmentId(), verdict.labels());
        jobs.processed(row.attachmentId());
    }

    private void fail(AttachmentRepository.Row row, String reason) {
        transactions.executeWithoutResult(status -> attachments
                .fail(row.attachmentId(), reason, clock.instant())
                .ifPresent(failed -> {
                    jobs.deleteObjects(failed.doomed());
                    events.processed(failed);
                }));
        log.info("attachment_refused attachment_id={} reason=\"{}\"", row.attachmentId(), reason);
        jobs.processed(row.attachmentId());
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            log.debug("Could not remove {}", dir, e);
        }
    }
}

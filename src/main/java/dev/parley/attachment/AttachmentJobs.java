package dev.parley.attachment;

import com.github.kagkarlsson.scheduler.task.TaskInstance;
import dev.parley.common.JobQueue;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.stereotype.Component;

/**
 * Queues the attachment jobs (inside the caller's transaction) and lets a request wait a little for the
 * processing it started. The jobs themselves are defined in {@link AttachmentConfig}.
 */
@Component
class AttachmentJobs {

    static final String PROCESS_IMAGE = "attachment-process-image";
    static final String DELETE_OBJECTS = "attachment-delete-objects";
    static final String RETENTION = "attachment-retention";

    private final JobQueue queue;
    private final AttachmentRepository attachments;
    private final Map<UUID, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();

    AttachmentJobs(JobQueue queue, AttachmentRepository attachments) {
        this.queue = queue;
        this.attachments = attachments;
    }

    void process(UUID attachmentId) {
        queue.enqueue(new TaskInstance<>(PROCESS_IMAGE, attachmentId.toString(), attachmentId.toString()));
    }

    /** Removes an attachment's objects (quarantine, original, thumbnail), retried until storage answers. */
    void deleteObjects(AttachmentRepository.Doomed doomed) {
        StringBuilder keys = new StringBuilder(Keys.quarantine(doomed.attachmentId()));
        if (doomed.storageKey() != null && !doomed.storageKey().equals(Keys.quarantine(doomed.attachmentId()))) {
            keys.append('\n').append(doomed.storageKey());
        }
        if (doomed.thumbnailKey() != null) {
            keys.append('\n').append(doomed.thumbnailKey());
        }
        queue.enqueue(new TaskInstance<>(DELETE_OBJECTS, doomed.attachmentId().toString(), keys.toString()));
    }

    /** Waits until processing of the attachment has ended (on any node), or the timeout passes. */
    void awaitProcessed(UUID attachmentId, Duration timeout) {
        CompletableFuture<Void> done = waiting.computeIfAbsent(attachmentId, id -> new CompletableFuture<>());
        try {
            // Registered first, checked second: a job that finished in between is seen by the check.
            boolean pending = attachments.find(attachmentId).map(row -> "processing".equals(row.status())
                    && !row.deleted()).orElse(false);
            if (pending) {
                done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (TimeoutException | ExecutionException e) {
            // Still processing (perhaps on another node): the caller answers "processing".
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            waiting.remove(attachmentId, done);
        }
    }

    /** Called by the job on this node once its outcome has committed. */
    void processed(UUID attachmentId) {
        CompletableFuture<Void> done = waiting.get(attachmentId);
        if (done != null) {
            done.complete(null);
        }
    }
}

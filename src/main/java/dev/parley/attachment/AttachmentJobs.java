package dev.parley.attachment;

import com.github.kagkarlsson.scheduler.task.TaskInstance;
import dev.parley.attachment.image.ImageFormat;
import dev.parley.common.JobQueue;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
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
    static final String QUARANTINE_SWEEP = "attachment-quarantine-sweep";

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

    /**
     * Removes every object the attachment may have: the quarantined upload, the processed original and both
     * kinds of thumbnail, whether or not its row names them (an attempt that failed half-way may have stored
     * some). Retried until storage answers. Each call is its own job, so none is folded into another queued for
     * the same attachment.
     */
    void deleteObjects(AttachmentRepository.Doomed doomed) {
        UUID id = doomed.attachmentId();
        Set<String> keys = new LinkedHashSet<>();
        keys.add(Keys.quarantine(id));
        keys.add(Keys.checked(id));
        ImageFormat.ofMimeType(doomed.mimeType()).ifPresent(format -> keys.add(Keys.original(id, format)));
        keys.add(Keys.thumbnail(id, ImageFormat.JPEG));
        keys.add(Keys.thumbnail(id, ImageFormat.PNG));
        if (doomed.storageKey() != null) {
            keys.add(doomed.storageKey());
        }
        if (doomed.thumbnailKey() != null) {
            keys.add(doomed.thumbnailKey());
        }
        deleteKeys(id, keys);
    }

    /** Removes just these objects of an attachment (its quarantined upload, once processed). */
    void deleteKeys(UUID id, Collection<String> keys) {
        queue.enqueue(new TaskInstance<>(DELETE_OBJECTS, id + "/" + UUID.randomUUID(), String.join("\n", keys)));
    }

    /**
     * Waits until processing of the attachment has ended, or the timeout passes. A job on this node wakes the
     * wait at once; one on another node is seen by rereading the row a few times a second.
     */
    void awaitProcessed(UUID attachmentId, Duration timeout) {
        CompletableFuture<Void> done = waiting.computeIfAbsent(attachmentId, id -> new CompletableFuture<>());
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            // Registered first, checked second: a job that finished in between is seen by the check.
            while (pending(attachmentId)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                try {
                    done.get(Math.min(left, TimeUnit.MILLISECONDS.toNanos(250)), TimeUnit.NANOSECONDS);
                    return;
                } catch (TimeoutException e) {
                    // Reread the row: the job may have run on another node.
                }
            }
        } catch (ExecutionException e) {
            // Never completed exceptionally; the caller answers with the row's state either way.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            waiting.remove(attachmentId, done);
        }
    }

    private boolean pending(UUID attachmentId) {
        return attachments
                .find(attachmentId)
                .map(AttachmentRepository.Row::processing)
                .orElse(false);
    }

    /** Called by the job on this node once its outcome has committed. */
    void processed(UUID attachmentId) {
        CompletableFuture<Void> done = waiting.get(attachmentId);
        if (done != null) {
            done.complete(null);
        }
    }
}

package dev.parley.attachment;

import dev.parley.user.AccountErasure;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Every image a deleted account uploaded leaves storage: its row is marked removed and the deletion of its objects
 * (upload, original, thumbnails) is queued as durable jobs in the same transaction, retried until storage answers.
 */
@Component
@Order(AccountErasure.IMAGES)
class AttachmentErasure implements AccountErasure {

    private final AttachmentRepository attachments;
    private final AttachmentJobs jobs;
    private final Clock clock;

    AttachmentErasure(AttachmentRepository attachments, AttachmentJobs jobs, Clock clock) {
        this.attachments = attachments;
        this.jobs = jobs;
        this.clock = clock;
    }

    @Override
    public boolean eraseSome(UUID userId, int batch) {
        List<AttachmentRepository.Doomed> doomed = attachments.forgetUploader(userId, clock.instant(), batch);
        doomed.forEach(jobs::deleteObjects);
        return doomed.size() < batch;
    }
}

package dev.parley.attachment;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The retention job: removes the objects of attachments older than {@code retention} and of uploads never
 * completed within {@code abandoned-after}, and records when and why on their rows. Works in batches; each
 * batch's rows are marked and their deletion jobs queued in one transaction.
 */
@Component
class AttachmentRetention {

    private static final Logger log = LoggerFactory.getLogger(AttachmentRetention.class);
    static final int BATCH = 500;

    private final AttachmentRepository attachments;
    private final AttachmentJobs jobs;
    private final AttachmentProperties properties;
    private final TransactionTemplate transactions;
    private final Clock clock;

    AttachmentRetention(
            AttachmentRepository attachments,
            AttachmentJobs jobs,
            AttachmentProperties properties,
            TransactionTemplate transactions,
            Clock clock) {
        this.attachments = attachments;
        this.jobs = jobs;
        this.properties = properties;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** One sweep; returns how many attachments it removed. */
    int run() {
        Instant now = clock.instant();
        int expired = sweep(() -> attachments.expire(now.minus(properties.retention()), now, BATCH));
        int abandoned = sweep(() -> attachments.abandon(now.minus(properties.abandonedAfter()), now, BATCH));
        if (expired + abandoned > 0) {
            log.info("attachment_retention expired={} abandoned={}", expired, abandoned);
        }
        return expired + abandoned;
    }

    private int sweep(Supplier<List<AttachmentRepository.Doomed>> batch) {
        int total = 0;
        while (true) {
            // Rows and their deletion jobs commit together: no object can be forgotten by a node that dies.
            List<AttachmentRepository.Doomed> doomed = transactions.execute(status -> {
                List<AttachmentRepository.Doomed> marked = batch.get();
                marked.forEach(jobs::deleteObjects);
                return marked;
            });
            if (doomed.isEmpty()) {
                return total;
            }
            total += doomed.size();
            if (doomed.size() < BATCH) {
                return total;
            }
        }
    }
}

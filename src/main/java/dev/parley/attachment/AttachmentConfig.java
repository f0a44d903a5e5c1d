package dev.parley.attachment;

import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import dev.parley.attachment.image.ImageLimits;
import dev.parley.attachment.image.ImagePipeline;
import dev.parley.storage.ObjectStorage;
import java.time.Duration;
import java.util.UUID;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The image pipeline and the attachment jobs on the persistent queue. Failures are retried with exponential
 * backoff: processing gives up after {@code processing-attempts} and marks the upload failed; deletions keep
 * trying, with growing gaps, for days, so a storage outage leaves no object behind. An image job that may not
 * start yet (its uploader has one running, or the memory budget is full) is put back for {@link #NOT_YET}, which
 * is no failure and uses up none of its attempts.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AttachmentProperties.class)
class AttachmentConfig {

    /** How long an image job that could not start waits before it is tried again. */
    static final Duration NOT_YET = Duration.ofSeconds(2);

    @Bean
    ImagePipeline imagePipeline(AttachmentProperties properties) {
        return new ImagePipeline(new ImageLimits(
                properties.maxPixels(), properties.thumbnailSize(), properties.decodeMemoryBudgetBytes()));
    }

    @Bean
    CustomTask<String> attachmentProcessImageTask(AttachmentProcessor processor, AttachmentProperties properties) {
        int attempts = properties.processingAttempts();
        return Tasks.custom(AttachmentJobs.PROCESS_IMAGE, String.class)
                .onFailure(FailureHandler.<String>maxRetries(attempts)
                        .withBackoff(Duration.ofSeconds(2), 2.0)
                        .thenRemove())
                .execute((instance, context) -> {
                    boolean lastAttempt = context.getExecution().consecutiveFailures + 1 >= attempts;
                    return switch (processor.process(UUID.fromString(instance.getData()), lastAttempt)) {
                        case DONE -> new CompletionHandler.OnCompleteRemove<>();
                        // Scheduler time, as the queue compares it, not the application's Clock.
                        case LATER ->
                            (done, operations) -> operations.reschedule(
                                    done, done.getTimeDone().plus(NOT_YET));
                    };
                });
    }

    @Bean
    OneTimeTask<String> attachmentDeleteObjectsTask(ObjectStorage storage) {
        return Tasks.oneTime(AttachmentJobs.DELETE_OBJECTS, String.class)
                .onFailure(FailureHandler.<String>maxRetries(16)
                        .withBackoff(Duration.ofSeconds(5), 2.0)
                        .thenRemove())
                .execute((instance, context) -> {
                    for (String key : instance.getData().split("\n")) {
                        storage.delete(key);
                    }
                });
    }

    /** Recurring, so db-scheduler runs it on one node at a time. */
    @Bean
    RecurringTask<Void> attachmentQuarantineSweepTask(QuarantineSweep sweep, AttachmentProperties properties) {
        return Tasks.recurring(
                        AttachmentJobs.QUARANTINE_SWEEP, Schedules.fixedDelay(properties.quarantineSweepInterval()))
                .execute((instance, context) -> sweep.run());
    }

    @Bean
    RecurringTask<Void> attachmentRetentionTask(AttachmentRetention retention, AttachmentProperties properties) {
        return Tasks.recurring(AttachmentJobs.RETENTION, Schedules.fixedDelay(properties.retentionInterval()))
                .execute((instance, context) -> retention.run());
    }
}

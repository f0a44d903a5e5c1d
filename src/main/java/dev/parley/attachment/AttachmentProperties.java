package dev.parley.attachment;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code parley.attachments.*}. {@code upload-url-ttl} is capped at 15 minutes; {@code download-url-ttl} is how
 * long an image or thumbnail URL handed to a participant stays valid. {@code retention}: objects older than this
 * are deleted; {@code abandoned-after}: an upload never completed within this is deleted. {@code complete-wait}:
 * how long {@code complete} waits for processing to finish before it answers {@code processing}.
 * {@code processing-attempts}: tries of an image job, 2 s apart and doubling (12: over two hours, so a storage
 * outage delays images rather than losing them); a file that is not a valid image fails at once.
 * {@code decode-memory-budget}: the heap this node's image jobs may use together (unset: half the largest heap the
 * JVM may grow to); a job waits until its share is free, and an image that would need more than all of it is
 * refused. {@code job-timeout}: an image job still working after this is stopped and its upload refused.
 * {@code quarantine-sweep-interval}: how often quarantined objects that no live upload owns are removed.
 */
@ConfigurationProperties("parley.attachments")
public record AttachmentProperties(
        @DefaultValue("10MB") DataSize maxFileSize,
        @DefaultValue("40000000") long maxPixels,
        @DefaultValue("200") int thumbnailSize,

        @DefaultValue({"image/jpeg", "image/png", "image/webp", "image/gif"})
        List<String> allowedTypes,

        @DefaultValue("15m") Duration uploadUrlTtl,
        @DefaultValue("15m") Duration downloadUrlTtl,
        @DefaultValue("90d") Duration retention,
        @DefaultValue("24h") Duration abandonedAfter,
        @DefaultValue("1h") Duration retentionInterval,
        @DefaultValue("5s") Duration completeWait,
        @DefaultValue("12") int processingAttempts,
        DataSize decodeMemoryBudget,
        @DefaultValue("30s") Duration jobTimeout,
        @DefaultValue("1h") Duration quarantineSweepInterval) {

    public AttachmentProperties {
        if (uploadUrlTtl.compareTo(Duration.ofMinutes(15)) > 0 || uploadUrlTtl.isNegative() || uploadUrlTtl.isZero()) {
            throw new IllegalArgumentException("parley.attachments.upload-url-ttl must be between 1s and 15m");
        }
        if (decodeMemoryBudget != null
                && decodeMemoryBudget.toBytes() < DataSize.ofMegabytes(1).toBytes()) {
            throw new IllegalArgumentException("parley.attachments.decode-memory-budget must be at least 1MB");
        }
        if (!jobTimeout.isPositive()) {
            throw new IllegalArgumentException("parley.attachments.job-timeout must be positive");
        }
        if (!quarantineSweepInterval.isPositive()) {
            throw new IllegalArgumentException("parley.attachments.quarantine-sweep-interval must be positive");
        }
    }

    /** The budget in bytes: as configured, or half the largest heap this JVM may grow to. */
    long decodeMemoryBudgetBytes() {
        return decodeMemoryBudget != null
                ? decodeMemoryBudget.toBytes()
                : Runtime.getRuntime().maxMemory() / 2;
    }
}

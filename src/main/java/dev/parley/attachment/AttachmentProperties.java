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
 */
@ConfigurationProperties("parley.attachments")
public record AttachmentProperties(
        @DefaultValue("10MB") DataSize maxFileSize,
        @DefaultValue("40000000") long maxPixels,
        @DefaultValue("200") int thumbnailSize,
        @DefaultValue({"image/jpeg", "image/png", "image/webp", "image/gif"}) List<String> allowedTypes,
        @DefaultValue("15m") Duration uploadUrlTtl,
        @DefaultValue("15m") Duration downloadUrlTtl,
        @DefaultValue("90d") Duration retention,
        @DefaultValue("24h") Duration abandonedAfter,
        @DefaultValue("1h") Duration retentionInterval,
        @DefaultValue("5s") Duration completeWait,
        @DefaultValue("12") int processingAttempts) {

    public AttachmentProperties {
        if (uploadUrlTtl.compareTo(Duration.ofMinutes(15)) > 0 || uploadUrlTtl.isNegative() || uploadUrlTtl.isZero()) {
            throw new IllegalArgumentException("parley.attachments.upload-url-ttl must be between 1s and 15m");
        }
    }
}

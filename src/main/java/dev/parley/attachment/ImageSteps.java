package dev.parley.attachment;

import dev.parley.attachment.image.ImageFormat;
import dev.parley.attachment.image.ProcessedImage;
import dev.parley.screening.ImageModeration;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The image job's two judging steps: processing within the node's memory budget ({@link ImageJobLimits}), then
 * image moderation of the result, before anything is published.
 */
@Component
class ImageSteps {

    private static final Logger log = LoggerFactory.getLogger(ImageSteps.class);

    private final ImageJobLimits limits;
    private final ImageModeration moderation;

    ImageSteps(ImageJobLimits limits, ImageModeration moderation) {
        this.limits = limits;
        this.moderation = moderation;
    }

    Duration longestRun() {
        return limits.longestRun();
    }

    /** See {@link ImageJobLimits#process}. */
    Optional<ProcessedImage> process(Path source, ImageFormat format, Path work) throws IOException {
        return limits.process(source, format, work);
    }

    /**
     * The moderation verdict on a processed image. A provider outage propagates (the job retries), except on the
     * last attempt under the allow policy, where the image passes unchecked (logged).
     */
    ImageModeration.Verdict check(AttachmentRepository.Row row, ProcessedImage image, boolean lastAttempt) {
        if (!moderation.enabled()) {
            return ImageModeration.Verdict.ALLOW;
        }
        try {
            return moderation.check(new ImageModeration.Image(
                    row.attachmentId(),
                    row.uploaderId(),
                    image.original(),
                    image.originalSize(),
                    image.thumbnail(),
                    image.format().mimeType()));
        } catch (ImageModeration.Unavailable e) {
            if (lastAttempt && moderation.failOpen()) {
                log.warn("image_moderation_skipped attachment_id={} error=\"{}\"", row.attachmentId(), e.getMessage());
                return ImageModeration.Verdict.ALLOW;
            }
            throw e;
        }
    }
}

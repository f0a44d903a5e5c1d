package dev.parley.attachment;

import dev.parley.moderation.RateLimit;
import dev.parley.moderation.RateLimiter;
import dev.parley.screening.ContentScreen;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** What a user's upload must pass besides its bytes: the image allowance, and the moderation hook's word. */
@Component
class UploadChecks {

    private final RateLimiter limits;
    private final ContentScreen screen;

    UploadChecks(RateLimiter limits, ContentScreen screen) {
        this.limits = limits;
        this.screen = screen;
    }

    /** Before a ticket is issued. Throws RATE_LIMIT_EXCEEDED. */
    void ticket(UUID uploader) {
        limits.acquire(uploader, RateLimit.IMAGE_UPLOAD);
    }

    /** Before an upload is checked and processed. Throws CONTENT_REJECTED. */
    void completing(UUID uploader, UUID attachmentId) {
        screen.attachment(uploader, attachmentId);
    }
}

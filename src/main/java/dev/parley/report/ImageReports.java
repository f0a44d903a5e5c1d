package dev.parley.report;

import dev.parley.attachment.AttachmentRejected;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Files the system's report when image moderation refuses an image, in the transaction that refused it: about the
 * message when one uses the image, otherwise about its uploader.
 */
@Component
class ImageReports {

    private final ReportService reports;

    ImageReports(ReportService reports) {
        this.reports = reports;
    }

    @EventListener
    void on(AttachmentRejected rejected) {
        reports.reportImage(rejected);
    }
}

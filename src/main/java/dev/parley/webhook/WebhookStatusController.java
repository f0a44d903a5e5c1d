package dev.parley.webhook;

import dev.parley.common.ApiErrors;
import dev.parley.common.AuthUser;
import dev.parley.common.ErrorCode;
import dev.parley.common.ParleyException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/admin/webhooks/status}: whether webhooks are on, the backlog (deliveries and events not yet
 * acknowledged), the lag (age of the oldest), and the head's attempts and last failure. For admins only
 * ({@link WebhookAdmins}); anyone else gets 403 {@code FORBIDDEN}, as for every other admin route.
 */
@Tag(name = "Administration", description = "For admins: reports, suspensions, deletes, roles, the audit log")
@RestController
class WebhookStatusController {

    record Status(
            boolean enabled,
            String url,
            long pendingDeliveries,
            long pendingEvents,
            Instant oldestPendingAt,
            double lagSeconds,
            Integer headAttempts,
            Integer lastStatus,
            String lastError) {}

    private final WebhookProperties properties;
    private final WebhookRepository deliveries;
    private final WebhookAdmins admins;
    private final Clock clock;

    WebhookStatusController(
            WebhookProperties properties, WebhookRepository deliveries, WebhookAdmins admins, Clock clock) {
        this.properties = properties;
        this.deliveries = deliveries;
        this.admins = admins;
        this.clock = clock;
    }

    @Operation(operationId = "getWebhookStatus", summary = "Get the webhook backlog, lag and last failure")
    @ApiErrors({ErrorCode.FORBIDDEN})
    @GetMapping("/api/v1/admin/webhooks/status")
    Status status(AuthUser caller) {
        if (!admins.mayReadStatus(caller.id())) {
            throw ParleyException.forbidden("This needs the admin role");
        }
        WebhookRepository.Backlog backlog = deliveries.backlog();
        double lag = backlog.oldestCreatedAt() == null
                ? 0
                : Duration.between(backlog.oldestCreatedAt(), clock.instant()).toMillis() / 1000.0;
        // The URL without its query (which may carry a token of the receiver's).
        String url = properties.url() == null
                ? null
                : properties.url().getScheme() + "://" + properties.url().getRawAuthority()
                        + properties.url().getRawPath();
        return new Status(
                properties.enabled(),
                url,
                backlog.pending(),
                backlog.events(),
                backlog.oldestCreatedAt(),
                lag,
                backlog.headAttempts(),
                backlog.lastStatus(),
                backlog.lastError());
    }
}

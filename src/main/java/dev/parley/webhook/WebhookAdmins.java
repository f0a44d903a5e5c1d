package dev.parley.webhook;

import java.util.UUID;

/**
 * Who may read the webhook status: the admin role, implemented by the admin feature (which may depend on this
 * one; this one knows nothing of roles).
 */
public interface WebhookAdmins {

    boolean mayReadStatus(UUID userId);
}

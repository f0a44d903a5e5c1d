package dev.parley.webhook;

import java.util.UUID;

/**
 * Who may read the webhook status. Parley has no admin role yet; the one implementation
 * ({@link ConfiguredWebhookAdmins}) reads {@code parley.webhook.admin-user-ids}. An admin role, when it comes,
 * replaces it here and nowhere else.
 */
public interface WebhookAdmins {

    boolean mayReadStatus(UUID userId);
}

package dev.parley.webhook;

import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** The users listed in {@code parley.webhook.admin-user-ids}; nobody by default. */
@Component
class ConfiguredWebhookAdmins implements WebhookAdmins {

    private final Set<UUID> admins;

    ConfiguredWebhookAdmins(WebhookProperties properties) {
        this.admins = Set.copyOf(properties.adminUserIds());
    }

    @Override
    public boolean mayReadStatus(UUID userId) {
        return admins.contains(userId);
    }
}

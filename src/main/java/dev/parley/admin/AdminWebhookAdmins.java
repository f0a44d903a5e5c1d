package dev.parley.admin;

import dev.parley.common.ParleyException;
import dev.parley.webhook.WebhookAdmins;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** The webhook status is for admins, by the same role every {@code /api/v1/admin} route checks. */
@Component
class AdminWebhookAdmins implements WebhookAdmins {

    private final AdminRoles roles;

    AdminWebhookAdmins(AdminRoles roles) {
        this.roles = roles;
    }

    @Override
    public boolean mayReadStatus(UUID userId) {
        try {
            roles.require(userId);
            return true;
        } catch (ParleyException notAdmin) {
            return false;
        }
    }
}

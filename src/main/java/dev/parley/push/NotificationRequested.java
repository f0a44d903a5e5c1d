package dev.parley.push;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.UUID;

/**
 * A user the notify rule chose for a message, whether or not they have devices: the webhook's
 * {@code notification.requested}, for host apps with their own notification system.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NotificationRequested(
        UUID userId, UUID conversationId, UUID messageId, long badge, String title, String body) {

    public static final String TYPE = "notification.requested";
}

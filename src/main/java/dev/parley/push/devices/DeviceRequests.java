package dev.parley.push.devices;

/** Request bodies of the devices API; checked by {@link DeviceService}, which names the offending field. */
public final class DeviceRequests {

    private DeviceRequests() {}

    /** {@code POST /devices}: a token for fcm and apns, a subscription for webpush. */
    public record Register(String platform, String token, Subscription subscription, String locale) {}

    /** A browser's PushSubscription as its {@code toJSON()} gives it. */
    public record Subscription(String endpoint, Keys keys) {}

    public record Keys(String p256dh, String auth) {}

    /** {@code GET|PUT /users/me/notification-settings}. */
    public record NotificationSettings(String previews) {}
}

package dev.parley.push.devices;

import dev.parley.common.ErrorCode;
import dev.parley.common.ParleyException;
import dev.parley.push.Platform;
import dev.parley.push.PushProperties;
import dev.parley.push.providers.EcKeys;
import dev.parley.push.providers.PushTarget;
import dev.parley.push.providers.WebPushEndpoints;
import java.time.Clock;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Push targets and notification settings. A token (or Web Push endpoint) belongs to whoever registered it last:
 * a phone that changes accounts must not keep getting the previous account's messages. Each user keeps at most
 * {@code parley.push.max-devices-per-user}; registering one more replaces the least recently registered.
 */
@Service
public class DeviceService {

    /** FCM tokens are about 160-200 characters, APNs tokens 64 hex digits; this leaves room for change. */
    static final int MAX_TOKEN_LENGTH = 1024;

    private static final Pattern TOKEN = Pattern.compile("[\\x21-\\x7e]+");
    /** BCP 47 tags as clients send them ({@code en}, {@code pt-BR}, {@code zh-Hant-TW}). */
    private static final Pattern LOCALE = Pattern.compile("[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8}){0,4}");

    private final DeviceRepository devices;
    private final PushProperties properties;
    private final Clock clock;

    DeviceService(DeviceRepository devices, PushProperties properties, Clock clock) {
        this.devices = devices;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Registers the caller's device, as their {@code session}'s (null when unknown): that session's own reads do
     * not clear it. Throws VALIDATION_FAILED naming the field.
     */
    @Transactional
    public DeviceRepository.Registered register(UUID caller, UUID session, DeviceRequests.Register request) {
        Platform platform = Platform.ofWire(request.platform())
                .orElseThrow(() -> ParleyException.validation("platform", "platform must be fcm, apns or webpush"));
        String locale = request.locale();
        if (locale != null && !LOCALE.matcher(locale).matches()) {
            throw ParleyException.validation("locale", "locale must be a language tag such as en or pt-BR");
        }
        DeviceRepository.Registered registered;
        if (platform == Platform.WEBPUSH) {
            DeviceRequests.Subscription subscription = request.subscription();
            if (subscription == null) {
                throw ParleyException.validation("subscription", "webpush needs subscription {endpoint, keys}");
            }
            if (WebPushEndpoints.check(
                            subscription.endpoint(), properties.webpush().allowInsecureLoopback())
                    == null) {
                throw ParleyException.validation(
                        "subscription.endpoint",
                        "endpoint must be an https URL of at most " + WebPushEndpoints.MAX_LENGTH + " characters");
            }
            DeviceRequests.Keys keys = subscription.keys();
            String p256dh = keys == null ? null : keys.p256dh();
            String auth = keys == null ? null : keys.auth();
            requireKey("subscription.keys.p256dh", p256dh, 65);
            requireKey("subscription.keys.auth", auth, 16);
            registered = devices.register(
                    caller, session, platform, subscription.endpoint(), p256dh, auth, locale, clock.instant());
        } else {
            String token = request.token();
            if (token == null
                    || token.length() > MAX_TOKEN_LENGTH
                    || !TOKEN.matcher(token).matches()) {
                throw ParleyException.validation(
                        "token", "token must be 1-" + MAX_TOKEN_LENGTH + " printable characters without spaces");
            }
            registered = devices.register(caller, session, platform, token, null, null, locale, clock.instant());
        }
        devices.trim(caller, properties.maxDevicesPerUser());
        return registered;
    }

    private static void requireKey(String field, String value, int bytes) {
        byte[] decoded;
        try {
            decoded = value == null || value.length() > 128
                    ? null
                    : Base64.getUrlDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            decoded = null;
        }
        boolean valid = decoded != null && decoded.length == bytes;
        if (valid && bytes == 65) {
            try {
                EcKeys.publicKey(decoded);
            } catch (IllegalArgumentException e) {
                valid = false;
            }
        }
        if (!valid) {
            throw ParleyException.validation(
                    field,
                    field + " must be " + bytes + " bytes, base64url"
                            + (bytes == 65 ? " (an uncompressed P-256 point)" : ""));
        }
    }

    public DeviceView.Page list(UUID caller) {
        return new DeviceView.Page(devices.list(caller));
    }

    /** Throws DEVICE_NOT_FOUND, for another user's device too. */
    public void delete(UUID caller, UUID deviceId) {
        if (!devices.delete(caller, deviceId)) {
            throw new ParleyException(ErrorCode.DEVICE_NOT_FOUND, "Device not found");
        }
    }

    public DeviceRequests.NotificationSettings settings(UUID caller) {
        return new DeviceRequests.NotificationSettings(devices.previews(caller).wire());
    }

    /** Throws VALIDATION_FAILED. */
    public DeviceRequests.NotificationSettings updateSettings(
            UUID caller, DeviceRequests.NotificationSettings request) {
        Previews previews = Previews.ofWire(request == null ? null : request.previews())
                .orElseThrow(() -> ParleyException.validation("previews", "previews must be full, sender or none"));
        devices.setPreviews(caller, previews);
        return new DeviceRequests.NotificationSettings(previews.wire());
    }

    /** The push targets of these users, by user (users without devices absent). */
    public Map<UUID, List<PushTarget>> targets(Collection<UUID> userIds) {
        return devices.targets(userIds);
    }

    /** Each user's preview setting. */
    public Map<UUID, Previews> previews(Collection<UUID> userIds) {
        return devices.previews(userIds);
    }

    /** A provider said the token or subscription no longer exists. */
    public void forgetGone(UUID deviceId) {
        devices.deleteGone(deviceId);
    }
}

package dev.parley.push.devices;

import dev.parley.common.ApiErrors;
import dev.parley.common.AuthUser;
import dev.parley.common.ErrorCode;
import dev.parley.push.providers.VapidKeys;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Push targets (devices), the VAPID key and the user's notification previews; see DeviceService. */
@Tag(name = "Devices and push", description = "Push targets, the Web Push key, notification previews")
@RestController
class DeviceController {

    private final DeviceService devices;
    private final VapidKeys vapid;

    DeviceController(DeviceService devices, VapidKeys vapid) {
        this.devices = devices;
        this.vapid = vapid;
    }

    /** 201 for a new device; 200 with the device when the token was registered before (by anyone). */
    @Operation(operationId = "registerDevice", summary = "Register a push target (FCM, APNs or Web Push)")
    @PostMapping("/api/v1/devices")
    ResponseEntity<Map<String, Object>> register(AuthUser caller, @RequestBody DeviceRequests.Register request) {
        DeviceRepository.Registered registered = devices.register(caller.id(), caller.sessionId(), request);
        DeviceView view = registered.view();
        return ResponseEntity.status(registered.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(Map.of(
                        "device_id", view.deviceId(), "platform", view.platform(), "created_at", view.createdAt()));
    }

    @Operation(operationId = "listDevices", summary = "List the caller's push targets")
    @GetMapping("/api/v1/devices")
    DeviceView.Page list(AuthUser caller) {
        return devices.list(caller.id());
    }

    @Operation(operationId = "deleteDevice", summary = "Delete one of the caller's push targets")
    @ApiErrors({ErrorCode.DEVICE_NOT_FOUND})
    @DeleteMapping("/api/v1/devices/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(AuthUser caller, @PathVariable UUID id) {
        devices.delete(caller.id(), id);
    }

    /** Public: a browser needs the key to subscribe. */
    @Operation(operationId = "getWebPushKey", summary = "Get the server's VAPID public key")
    @GetMapping("/api/v1/push/webpush-key")
    Map<String, String> webPushKey() {
        return Map.of("public_key", vapid.publicKey());
    }

    @Operation(operationId = "getNotificationSettings", summary = "Get the caller's notification previews")
    @GetMapping("/api/v1/users/me/notification-settings")
    DeviceRequests.NotificationSettings settings(AuthUser caller) {
        return devices.settings(caller.id());
    }

    @Operation(operationId = "updateNotificationSettings", summary = "Set the caller's notification previews")
    @PutMapping("/api/v1/users/me/notification-settings")
    DeviceRequests.NotificationSettings updateSettings(
            AuthUser caller, @RequestBody DeviceRequests.NotificationSettings request) {
        return devices.updateSettings(caller.id(), request);
    }
}

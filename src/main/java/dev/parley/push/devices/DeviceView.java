package dev.parley.push.devices;

import dev.parley.push.Platform;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A registered device as its owner sees it; tokens and keys are never shown again. */
public record DeviceView(UUID deviceId, Platform platform, String locale, Instant createdAt) {

    public record Page(List<DeviceView> devices) {}
}
